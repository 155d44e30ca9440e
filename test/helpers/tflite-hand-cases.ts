/**
 * Small .tflite models with hand-derived expected outputs: each is checked twice, through the
 * reference interpreter and through the host-compiled C (ASan/UBSan).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel } from '../../src/pipeline.ts';
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

/** One describe per case, in `dir`: the reference and the host C must both give `expected`. */
export function describeHandDerivedCases(cases: readonly HandDerivedCase[], dir: string): void {
  describe.each(cases)('TFLite $name', ({ name, spec, input, expected }) => {
    const path = join(dir, `${name.replace(/\W+/g, '_')}.tflite`);
    writeFileSync(path, buildTflite(spec));
    const compiled = compileModel({ modelPath: path });
    const bytes = Array.isArray(input) ? Int8Array.from(input) : input;
    const record = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const want = Buffer.from(Int8Array.from(expected).buffer);

    it('the reference interpreter gives the hand-derived bytes', () => {
      const outputs = runReference(compiled.graph, recordToValues(compiled.graph, compiled.graph.inputs, record)).outputs;
      expect(Buffer.from(valuesToRecord(outputs))).toEqual(want);
    });

    it('the host-compiled C gives the same bytes', async () => {
      const host = await buildHostModel(compiled);
      try {
        expect(Buffer.from(await host.run(record))).toEqual(want);
      } finally {
        host.dispose();
      }
    }, 120_000);
  });
}
