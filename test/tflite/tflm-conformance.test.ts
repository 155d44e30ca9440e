/**
 * TFLM's own models against TFLM's output bytes (../shared/conformance/tflite: hello_world,
 * micro_speech, person_detect): the reference interpreter, the host-compiled C (ASan/UBSan) and
 * the firmware under QEMU on a Cortex-M4F and a Cortex-M55 (tflm-conformance-qemu.test.ts) must all give
 * exactly what TFLM computed; and person_detect must score its two test images the way TFLM's own test expects.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { recordToValues, valuesToRecord } from '../../src/validate/records.ts';
import { SHARED } from '../helpers/paths.ts';

const MODELS = ['hello_world_int8', 'micro_speech_quantized', 'person_detect'];

for (const model of MODELS) {
  const dir = join(SHARED, 'conformance', 'tflite', model);
  const path = join(dir, 'model.tflite');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { cases: string[] };
  const inputs = manifest.cases.map((c) => readFileSync(join(dir, `${c}.input.bin`)));
  const tflmOutputs = manifest.cases.map((c) => readFileSync(join(dir, `${c}.output.bin`)));

  describe(`TFLM ${model}`, () => {
    const compiled = compileModel({ modelPath: path });

    it('compiles with tflite rounding by default', () => {
      expect(compiled.rounding).toBe('tflite');
      expect(manifest.cases.length).toBeGreaterThan(0);
    });

    it('reference interpreter equals TFLM on every case', () => {
      const actual = inputs.map((input) => Buffer.from(valuesToRecord(runReference(compiled.graph, recordToValues(compiled.graph, compiled.graph.inputs, input)).outputs)));
      expect(actual).toEqual(tflmOutputs);
    });

    it('host-compiled C equals TFLM on every case', async () => {
      const host = await buildHostModel(compiled);
      try {
        expect(Buffer.from(await host.run(Buffer.concat(inputs)))).toEqual(Buffer.concat(tflmOutputs));
      } finally {
        host.dispose();
      }
    }, 120_000);
  });
}

describe('TFLM person_detect on its test images', () => {
  it('scores person as a person and no_person as not (output [no person, person])', () => {
    const dir = join(SHARED, 'conformance', 'tflite', 'person_detect');
    const compiled = compileModel({ modelPath: join(dir, 'model.tflite') });
    const score = (image: string) => {
      const input = readFileSync(join(dir, `${image}.input.bin`));
      const out = valuesToRecord(runReference(compiled.graph, recordToValues(compiled.graph, compiled.graph.inputs, input)).outputs);
      return new Int8Array(out.buffer, out.byteOffset, out.length);
    };
    const person = score('person');
    const noPerson = score('no_person');
    expect(person[1]!).toBeGreaterThan(person[0]!);
    expect(noPerson[0]!).toBeGreaterThan(noPerson[1]!);
  });
});
