/**
 * Small .tflite models with hand-derived expected outputs: each is checked twice, through the
 * reference interpreter and through the host-compiled C (ASan/UBSan).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel, type Compiled } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { recordToValues, valuesToRecord } from '../../src/validate/records.ts';
import { buildTflite, type ModelSpec } from './tflite-builder.ts';

export interface HandDerivedCase {
  name: string;
  spec: ModelSpec;
  /** int8 values, or a typed array holding the input record's bytes (e.g. float32 inputs). */
  input: number[] | Int8Array | Float32Array;
  /** The int8 output values derived by hand in the test. */
  expected: number[];
}

/** The two checks of a hand-derived case: the reference and the host C must both give `want` on `records`, concatenated. */
export function itGivesHandDerivedBytes(compiled: Compiled, records: readonly Uint8Array[], want: Buffer): void {
  it('the reference interpreter gives the hand-derived bytes', () => {
    const outputs = records.map((r) => valuesToRecord(runReference(compiled.graph, recordToValues(compiled.graph, compiled.graph.inputs, r)).outputs));
    expect(Buffer.concat(outputs)).toEqual(want);
  });

  it('the host-compiled C gives the same bytes', async () => {
    const host = await buildHostModel(compiled);
    try {
      expect(Buffer.from(await host.run(Buffer.concat(records)))).toEqual(want);
    } finally {
      host.dispose();
    }
  }, 120_000);
}

/** One describe per case, in `dir`: the reference and the host C must both give `expected`. */
export function describeHandDerivedCases(cases: readonly HandDerivedCase[], dir: string): void {
  describe.each(cases)('TFLite $name', ({ name, spec, input, expected }) => {
    const path = join(dir, `${name.replace(/\W+/g, '_')}.tflite`);
    writeFileSync(path, buildTflite(spec));
    const compiled = compileModel({ modelPath: path });
    const bytes = Array.isArray(input) ? Int8Array.from(input) : input;
    itGivesHandDerivedBytes(compiled, [new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)], Buffer.from(Int8Array.from(expected).buffer));
  });
}
