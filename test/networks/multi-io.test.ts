/** Graphs with several inputs and several outputs: one pointer each at the API, all exact. */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { oracleDiff } from '../helpers/oracle.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { compileModel, generate } from '../../src/pipeline.ts';
import { validate } from '../../src/validate/validate.ts';

/** a, b [1, 2, 6, 6] → sum = QLinearAdd(a, b); conv = QLinearConv(a); outputs: conv, sum. */
function twoInTwoOut(): string {
  const g = new GraphBuilder();
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  const a = g.input('a', 'int8', [1, 2, 6, 6]);
  const b = g.input('b', 'int8', [1, 2, 6, 6]);
  const [sum] = g.node('QLinearAdd', [a, s(0.05), z(1), b, s(0.03), z(-4), s(0.07), z(2)], {}, { domain: 'com.microsoft' });
  const w = g.constant('int8', [3, 2, 3, 3], Array.from({ length: 54 }, (_, i) => ((i * 37) % 200) - 100));
  const [conv] = g.node('QLinearConv', [a, s(0.05), z(1), w, s(0.01), z(0), s(0.2), z(-5)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  g.output(g.rename(conv!, 'features'), 'int8', [1, 3, 6, 6]);
  g.output(g.rename(sum!, 'sum'), 'int8', [1, 2, 6, 6]);
  return g.save();
}

describe('multi-input, multi-output graphs', () => {
  const model = twoInTwoOut();

  it('get one pointer per input and output in the generated API', () => {
    const header = generate(compileModel({ modelPath: model })).files.get('model_model.h')!;
    expect(header).toContain('int model_run(const int8_t *input0, const int8_t *input1, int8_t *output0, int8_t *output1);');
    expect(header).toContain('#define MODEL_OUTPUT0_SHAPE { 1, 3, 6, 6 }');
  });

  it('equal ONNX Runtime in onnx mode and the reference on the host in both modes', async () => {
    const ort = await oracleDiff(model, 'onnx', 10);
    expect(ort.elements).toBe(10 * (108 + 72));
    expect(ort.mismatches, JSON.stringify(ort.first)).toBe(0);
    for (const rounding of ['onnx', 'tflite'] as const) expect((await hostDiff(model, rounding, 5)).mismatches).toBe(0);
  });

  it('are bit-exact under QEMU', async () => {
    const report = await validate({ modelPath: model, board: 'mps2-an386', inputs: 5 });
    expect(report.bytesCompared).toBe(5 * (108 + 72));
    expect(report.mismatchCount).toBe(0);
    expect(report.passed).toBe(true);
  });
});
