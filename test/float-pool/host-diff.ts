/**
 * The host C against the reference for float models (compiled with float ops allowed): random
 * inputs in [-8, 8) (half on a 1/16 grid), with some elements replaced by -0 and +0 so the sign
 * of zero sums shows, compared byte for byte.
 */
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { randomInputs, seededRandom, valuesToRecord } from '../../src/validate/records.ts';

export interface FloatHostDiff {
  bytes: number;
  mismatches: number;
  first?: { index: number; expected: number; actual: number };
}

export async function floatHostDiff(modelPath: string, inputs = 4, seed = 1): Promise<FloatHostDiff> {
  const compiled = compileModel({ modelPath, allowFloat: true });
  const host = await buildHostModel(compiled);
  try {
    const random = seededRandom(seed);
    const records: Uint8Array[] = [];
    const expected: Uint8Array[] = [];
    for (let i = 0; i < inputs; i++) {
      const values = randomInputs(compiled.graph, random);
      for (const v of values) {
        const data = v.data as Float32Array;
        for (let j = 0; j < data.length; j++) if (random() < 0.05) data[j] = random() < 0.5 ? -0 : 0;
      }
      records.push(valuesToRecord(values));
      expected.push(valuesToRecord(runReference(compiled.graph, values).outputs));
    }
    const actual = await host.run(Buffer.concat(records));
    const want = Buffer.concat(expected);
    let mismatches = Math.abs(actual.length - want.length);
    let first: FloatHostDiff['first'];
    for (let i = 0; i < want.length; i++) {
      if (want[i] !== actual[i]) {
        mismatches++;
        first ??= { index: i, expected: want[i]!, actual: actual[i]! };
      }
    }
    return { bytes: want.length, mismatches, first };
  } finally {
    host.dispose();
  }
}
