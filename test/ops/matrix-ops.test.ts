/**
 * Structure and errors of the matrix ops and the 1-D windows: how a 1-D network is lifted to 2-D
 * at import, that zero points given as inputs survive the uint8 → int8 rewrite, and the one-line
 * UserErrors for what they cannot take.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { UserError } from '../../src/errors.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { GraphBuilder, type ElemType } from '../helpers/onnx-builder.ts';

describe('1-D windows', () => {
  it('keep a chain of 1-D layers NHWC inside: views and transposes only at the API', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'int8', [1, 3, 16]);
    // Each conv reads its input with the quantization its producer wrote it with (x: 0.05 / 1).
    const conv = (input: string, cIn: number, cOut: number, attrs: Record<string, number[]>, inScale = 0.05, inZero = 1) =>
      g.node('QLinearConv', [input, g.scalar(inScale), g.scalar(inZero, 'int8'), g.constant('int8', [cOut, cIn, 3], new Array(cOut * cIn * 3).fill(2)), g.scalar(0.01), g.scalar(0, 'int8'), g.scalar(0.1), g.scalar(-3, 'int8')], attrs)[0]!;
    const c1 = conv(x, 3, 4, { pads: [1, 1] });
    const p = g.node('MaxPool', [c1], { kernel_shape: [2], strides: [2] })[0]!;
    const c2 = conv(p, 4, 5, { strides: [2] }, 0.1, -3);
    g.output(g.rename(c2, 'y'), 'int8', [1, 5, 3]);
    const compiled = compileModel({ modelPath: g.save() });
    expect(compiled.graph.nodes.map((n) => n.op)).toEqual(['Unsqueeze', 'Transpose', 'QLinearConv', 'MaxPool', 'QLinearConv', 'Transpose', 'Squeeze']);
    const shapes = compiled.graph.nodes.slice(2, 5).map((n) => compiled.graph.tensors.get(n.outputs[0]!)!.shape);
    expect(shapes).toEqual([
      [1, 1, 16, 4],
      [1, 1, 8, 4],
      [1, 1, 3, 5],
    ]);
    expect(compiled.graph.tensors.get('y')!.shape).toEqual([1, 5, 3]);
  });
});

describe('zero points given as inputs and the uint8 → int8 rewrite', () => {
  /** The same ConvInteger and MatMulInteger in uint8 and in int8 (every value and zero point - 128). */
  function model(type: 'uint8' | 'int8'): string {
    const shift = (values: number[]) => values.map((v) => (type === 'uint8' ? v : v - 128));
    const g = new GraphBuilder();
    const x = g.input('x', type as ElemType, [1, 2, 4, 4]);
    const w = g.constant(type, [3, 2, 2, 2], shift(Array.from({ length: 24 }, (_, i) => (i * 37) % 256)));
    const conv = g.node('ConvInteger', [x, w, g.scalar(shift([131])[0]!, type), g.constant(type, [3], shift([0, 128, 255]))], { pads: [1, 0, 0, 1] })[0]!;
    const a = g.input('a', type as ElemType, [3, 5]);
    const b = g.constant(type, [5, 2], shift([1, 250, 3, 4, 128, 6, 7, 8, 200, 0]));
    // uint8: no B zero point, which means 0 in uint8; its int8 twin must say -128 explicitly.
    const mm = g.node('MatMulInteger', [a, b, g.scalar(shift([7])[0]!, type), ...(type === 'int8' ? [g.scalar(-128, 'int8')] : [])])[0]!;
    g.output(g.rename(conv, 'y'), 'int32', [1, 3, 4, 4]);
    g.output(g.rename(mm, 'z'), 'int32', [3, 2]);
    return g.save();
  }

  it('gives the int32 results of the same model written in int8', () => {
    const unsigned = compileModel({ modelPath: model('uint8') });
    const signed = compileModel({ modelPath: model('int8') });
    const inputs = randomInputs(unsigned.graph, seededRandom(5));
    const shifted = inputs.map((v) => ({ ...v, dtype: 'int8' as const, data: Int8Array.from(v.data as Uint8Array, (u) => u - 128) }));
    const u = runReference(unsigned.graph, inputs).outputs;
    const s = runReference(signed.graph, shifted).outputs;
    expect(u.map((o) => Array.from(o.data as Int32Array))).toEqual(s.map((o) => Array.from(o.data as Int32Array)));
    expect(Array.from(u[1]!.data as Int32Array).some((v) => v !== 0)).toBe(true);
  });
});

describe('bad matrix-op input is a one-line UserError naming the node', () => {
  const qgemm = (extra: (g: GraphBuilder) => string[], bias?: { shape: number[] }) => {
    const g = new GraphBuilder();
    const a = g.input('a', 'int8', [3, 4]);
    const c = bias ? g.constant('int32', bias.shape, new Array(bias.shape.reduce((x, y) => x * y, 1)).fill(1)) : '';
    const inputs = [a, g.scalar(0.1), g.scalar(0, 'int8'), g.constant('int8', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]), g.scalar(0.1), g.scalar(0, 'int8'), c, ...extra(g)];
    const y = g.node('QGemm', inputs, {}, { domain: 'com.microsoft' })[0]!;
    g.output(g.rename(y, 'y'), 'int8', [3, 2]);
    return g.save();
  };
  const cases: [string, () => string, RegExp][] = [
    ['QGemm with y_scale but no y_zero_point', () => qgemm((g) => [g.scalar(0.2)]), /QGemm_\d+' \(QGemm\): y_scale is given without y_zero_point/],
    ['QGemm whose bias does not broadcast', () => qgemm((g) => [g.scalar(0.2), g.scalar(0, 'int8')], { shape: [2, 3] }), /\(QGemm\): C \(bias\) \[2,3\] does not broadcast to the output \[3, 2\]/],
    [
      'MatMulInteger with a zero point per row of A',
      () => {
        const g = new GraphBuilder();
        const y = g.node('MatMulInteger', [g.input('a', 'int8', [3, 4]), g.constant('int8', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]), g.constant('int8', [3], [1, 2, 3])])[0]!;
        g.output(g.rename(y, 'y'), 'int32', [3, 2]);
        return g.save();
      },
      /\(MatMulInteger\): a zero point per row of A is not supported/,
    ],
    [
      'ConvInteger whose zero point type differs from its input',
      () => {
        const g = new GraphBuilder();
        const y = g.node('ConvInteger', [g.input('x', 'uint8', [1, 1, 3, 3]), g.constant('uint8', [1, 1, 2, 2], [1, 2, 3, 4]), g.scalar(3, 'int8')])[0]!;
        g.output(g.rename(y, 'y'), 'int32', [1, 1, 2, 2]);
        return g.save();
      },
      /\(ConvInteger\): the input zero point is int8 but the input is uint8/,
    ],
    [
      'a 1-D MaxPool on a 4-D input',
      () => {
        const g = new GraphBuilder();
        const y = g.node('MaxPool', [g.input('x', 'int8', [1, 2, 4, 4])], { kernel_shape: [2] })[0]!;
        g.output(g.rename(y, 'y'), 'int8', [1, 2, 3]);
        return g.save();
      },
      /\(MaxPool\): input must be 3-D for its 1-D window, got \[1,2,4,4\]/,
    ],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => {
      const path = make();
      expect(() => compileModel({ modelPath: path })).toThrow(UserError);
      expect(() => compileModel({ modelPath: path })).toThrow(message);
    });
  }
});
