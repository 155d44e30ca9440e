/**
 * Differential check on the host: compile a model, build its C with the kernels under
 * ASan/UBSan, run random inputs through both it and the reference, and return any mismatch.
 */
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { randomInputs, valuesToRecord } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import type { RoundingMode } from '../../src/numerics/requantize.ts';
import type { IoPlacement, OptimizeGoal, Value } from '../../src/ops/op.ts';

export interface HostDiff {
  bytes: number;
  mismatches: number;
  first?: { index: number; expected: number; actual: number };
}

export interface HostDiffOptions {
  /** What the memory planner favours (default 'balanced'). */
  optimize?: OptimizeGoal;
  /** Compile float32 ops too (see OnnxImport 'float'). */
  allowFloat?: boolean;
  /** Adjusts each random input set before it runs (e.g. to plant -0 or edge values). */
  edit?: (values: Value[], random: () => number) => void;
  /** Where the model's inputs and outputs live (default 'caller'). */
  io?: IoPlacement;
}

export async function hostDiff(modelPath: string, rounding: RoundingMode, inputs = 8, seed = 1, options: HostDiffOptions = {}): Promise<HostDiff> {
  const compiled = compileModel({ modelPath, rounding, allowFloat: options.allowFloat, io: options.io, optimize: options.optimize });
  const host = await buildHostModel(compiled);
  try {
    const random = seededRandom(seed);
    const records: Uint8Array[] = [];
    const expected: Uint8Array[] = [];
    for (let i = 0; i < inputs; i++) {
      const values = randomInputs(compiled.graph, random);
      options.edit?.(values, random);
      records.push(valuesToRecord(values));
      expected.push(valuesToRecord(runReference(compiled.graph, values).outputs));
    }
    const actual = await host.run(Buffer.concat(records));
    const want = Buffer.concat(expected);
    let mismatches = Math.abs(actual.length - want.length);
    let first: HostDiff['first'];
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
