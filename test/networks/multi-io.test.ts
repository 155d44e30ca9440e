/** Graphs with several inputs and several outputs: one pointer each at the API, all exact (under QEMU: multi-io-qemu.test.ts). */
import { describe, expect, it } from 'vitest';
import { oracleDiff } from '../helpers/oracle.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { compileModel, generate } from '../../src/pipeline.ts';
import { twoInTwoOut } from './two-in-two-out.ts';

describe('multi-input, multi-output graphs', () => {
  const model = twoInTwoOut();

  it('get one pointer per input and output in the generated API', () => {
    const header = generate(compileModel({ modelPath: model })).files.get('model.h')!;
    expect(header).toContain('int model_run(const int8_t *input0, const int8_t *input1, int8_t *output0, int8_t *output1);');
    expect(header).toContain('#define MODEL_OUTPUT0_SHAPE { 1, 3, 6, 6 }');
  });

  it('equal ONNX Runtime in onnx mode and the reference on the host in both modes', async () => {
    const ort = await oracleDiff(model, 'onnx', 10);
    expect(ort.elements).toBe(10 * (108 + 72));
    expect(ort.mismatches, JSON.stringify(ort.first)).toBe(0);
    for (const rounding of ['onnx', 'tflite'] as const) expect((await hostDiff(model, rounding, 5)).mismatches).toBe(0);
  });
});
