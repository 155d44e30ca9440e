/** Float32 Conv, Gemm and MatMul that tinygen cannot honour: one-line UserErrors naming the node and the reason. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { compileModel } from '../../src/pipeline.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';

type Build = (g: GraphBuilder) => string;
const zeros = (shape: number[]) => new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0);

function compileFloat(build: Build, allowFloat = true) {
  const g = new GraphBuilder();
  g.output(build(g), 'float32', []);
  return () => compileModel({ modelPath: g.save(), rounding: 'onnx', allowFloat });
}

const conv = (x: number[], w: number[], attrs: Record<string, number | number[] | string> = {}, extra: (g: GraphBuilder) => string[] = () => []): Build =>
  (g) => g.rename(g.node('Conv', [g.input('x', 'float32', x), g.constant('float32', w, zeros(w)), ...extra(g)], attrs)[0]!, 'y');

const CASES: { name: string; build: Build; message: RegExp }[] = [
  { name: 'a 4-D convolution', build: conv([1, 1, 2, 2, 2, 2], [1, 1, 1, 1, 1, 1]), message: /node 'Conv_\d+' \(FloatConv\).*only 1-D, 2-D and 3-D/ },
  { name: 'a group that does not divide the channels', build: conv([1, 3, 4, 4], [2, 1, 1, 1], { group: 2 }), message: /\(FloatConv\).*group 2 does not fit 3 input/ },
  { name: 'kernel_shape unlike the weight', build: conv([1, 1, 4, 4], [1, 1, 3, 3], { kernel_shape: [2, 2] }), message: /\(FloatConv\).*kernel_shape \[2,2\] does not match W/ },
  { name: 'pads of the wrong length', build: conv([1, 1, 4, 4], [1, 1, 3, 3], { pads: [1, 1] }), message: /\(FloatConv\).*pads \[1,1\] must have 4 values/ },
  { name: 'a kernel larger than the input', build: conv([1, 1, 2, 2], [1, 1, 3, 3]), message: /\(FloatConv\).*does not fit the input/ },
  { name: 'a bias of the wrong size', build: conv([1, 1, 4, 4], [2, 1, 1, 1], {}, (g) => [g.constant('float32', [3], [0, 0, 0])]), message: /\(FloatConv\).*B \[3\] must be \[2\]/ },
  { name: 'an unknown auto_pad', build: conv([1, 1, 4, 4], [1, 1, 1, 1], { auto_pad: 'SAME' }), message: /node 'Conv_\d+' \(Conv\): auto_pad 'SAME' is not one of/ },
  {
    name: 'a 3-D Gemm operand',
    build: (g) => g.node('Gemm', [g.input('a', 'float32', [2, 3, 4]), g.constant('float32', [4, 5], zeros([4, 5]))])[0]!,
    message: /\(FloatGemm\): A \[2,3,4\] x B \[4,5\]: A and B must be 2-D/,
  },
  {
    name: 'Gemm inner dimensions that differ',
    build: (g) => g.node('Gemm', [g.input('a', 'float32', [2, 3]), g.constant('float32', [4, 5], zeros([4, 5]))], { transA: 1 })[0]!,
    message: /\(FloatGemm\).*inner dimensions differ \(2 and 4/,
  },
  {
    name: 'a Gemm C that does not broadcast to [M, N]',
    build: (g) => g.node('Gemm', [g.input('a', 'float32', [3, 4]), g.constant('float32', [4, 5], zeros([4, 5])), g.constant('float32', [2, 5], zeros([2, 5]))])[0]!,
    message: /\(FloatGemm\): C \[2,5\] does not broadcast to \[3, 5\]/,
  },
  {
    name: 'an infinite Gemm alpha',
    build: (g) => g.node('Gemm', [g.input('a', 'float32', [3, 4]), g.constant('float32', [4, 5], zeros([4, 5]))], { alpha: { float: Infinity } })[0]!,
    message: /\(FloatGemm\): attribute alpha = Infinity is not finite/,
  },
  {
    name: 'MatMul inner dimensions that differ',
    build: (g) => g.node('MatMul', [g.input('a', 'float32', [3]), g.constant('float32', [4, 5], zeros([4, 5]))])[0]!,
    message: /\(FloatMatMul\): A \[3\] x B \[4,5\]: inner dimensions differ \(3 and 4\)/,
  },
  {
    name: 'MatMul batch axes that do not broadcast',
    build: (g) => g.node('MatMul', [g.input('a', 'float32', [2, 3, 4]), g.constant('float32', [3, 4, 5], zeros([3, 4, 5]))])[0]!,
    message: /\(FloatMatMul\).*batch dimensions \[2\] and \[3\] do not broadcast/,
  },
  {
    name: 'an int32 MatMul',
    build: (g) => g.node('MatMul', [g.input('a', 'int32', [2, 3]), g.constant('int32', [3, 2], zeros([3, 2]))])[0]!,
    message: /\(FloatMatMul\): A 'a' is int32; only float32 is supported/,
  },
];

describe('float32 Conv, Gemm and MatMul: bad input is a UserError', () => {
  for (const { name, build, message } of CASES) {
    it(name, () => {
      const run = compileFloat(build);
      expect(run).toThrow(UserError);
      expect(run).toThrow(message);
    });
  }

  it('a float Conv is refused unless float ops are allowed', () => {
    const run = compileFloat(conv([1, 1, 4, 4], [1, 1, 1, 1]), false);
    expect(run).toThrow(UserError);
    expect(() => run()).not.toThrow(/FloatConv/);
    expect(compileFloat(conv([1, 1, 4, 4], [1, 1, 1, 1]))).not.toThrow();
  });
});
