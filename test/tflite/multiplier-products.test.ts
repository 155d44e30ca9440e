/**
 * How TFLM forms s_x · s_w before dividing by s_y, per op, and the byte it decides. TFLM's
 * per-tensor FULLY_CONNECTED (GetQuantizedConvolutionMultipler) rounds the product to float32
 * first and divides in double; per-channel FULLY_CONNECTED and the convolutions
 * (PopulateConvolutionQuantizationParams) take the whole s_x · s_w / s_y in double.
 *
 * One set of scales, all exact float32 values, where the two rules give different Q31 multipliers:
 *   s_x = 4101 · 2^-19 (0.0078220367…), s_w = 4167 · 2^-21 (0.0019869804…), s_y = 2^-7.
 * Exact product: 4101 · 4167 = 17 088 867, so s_x · s_w = 17 088 867 · 2^-40. That integer has 25
 * bits (2^24 = 16 777 216 ≤ it < 2^25) and is odd, so float32's 24-bit significand keeps a multiple
 * of 2: it sits halfway between 17 088 866 = 2 · 8 544 433 and 17 088 868 = 2 · 8 544 434, and the
 * tie goes to the even significand 8 544 434. fround(s_x · s_w) = 17 088 868 · 2^-40.
 * Dividing by s_y = 2^-7 is exact either way:
 *   double product:  M = 17 088 867 · 2^-33 = (17 088 867 · 2^-25) · 2^-8
 *   float32 product: M = 17 088 868 · 2^-33
 * QuantizeMultiplier: frexp gives the mantissa in [0.5, 1) and shift −8; the Q31 value is the
 * mantissa times 2^31, here exact: 17 088 867 · 64 = 1 093 687 488 (double) and
 * 17 088 868 · 64 = 1 093 687 552 (float32 first).
 *
 * MultiplyByQuantizedMultiplier(acc, q, −8) = RoundingDivideByPOT(SRDHM(acc, q), 8), where
 * SRDHM(acc, q) = acc · q / 2^31 = acc · m / 2^25 (m the 17 088 86x above) with ties toward +∞.
 * For acc = 2261 (x = [17, 1] against w = [127, 102]: 17 · 127 + 102 = 2261):
 *   2261 · 17 088 867 = 38 637 928 287 = 1151 · 2^25 + 16 777 055, and 16 777 055 < 2^24 (the half):
 *     SRDHM = 1151; 1151 / 2^8 = 4.496… → 4.
 *   2261 · 17 088 868 = 38 637 930 548 = 1151 · 2^25 + 16 779 316, above the half:
 *     SRDHM = 1152; 1152 / 2^8 = 4.5 exactly → 5 (RoundingDivideByPOT: ties away from zero).
 * acc = −2261 (x = [−17, −1]) mirrors it: −1151.49999… → −1151 → −4.496… → −4 with the double
 * product; −1151.50006… → −1152 → −4.5 → −5 with the float32 one.
 * With the output zero point 3, TFLM's per-tensor FULLY_CONNECTED gives 8 and −2; per-channel
 * FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D give 7 and −1.
 */
import { describe } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeHandDerivedCases, itGivesHandDerivedBytes, type HandDerivedCase } from '../helpers/tflite-hand-cases.ts';
import { conv2dOptions, depthwiseOptions, type ModelSpec, type TensorSpec } from '../helpers/tflite-builder.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { compileModel } from '../../src/pipeline.ts';
import { BuiltinOperator, Padding, TensorType } from '../../src/frontend/tflite/schema.ts';

const { INT8 } = TensorType;
const { CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED } = BuiltinOperator;
const { VALID } = Padding;
const S_X = 4101 * 2 ** -19;
const S_W = 4167 * 2 ** -21;
const S_Y = 2 ** -7;
const Z_Y = 3;
const TAPS = [127, 102];

const x = (shape: number[]): TensorSpec => ({ name: 'x', type: INT8, shape, scale: [S_X], zeroPoint: [0] });
const y = (shape: number[]): TensorSpec => ({ name: 'y', type: INT8, shape, scale: [S_Y], zeroPoint: [Z_Y] });

function fullyConnected(outputs: number): ModelSpec {
  const perChannel = outputs > 1;
  return {
    tensors: [
      x([1, 2]),
      y([1, outputs]),
      {
        name: 'w',
        type: INT8,
        shape: [outputs, 2],
        data: Int8Array.from(Array.from({ length: outputs }, () => TAPS).flat()),
        scale: perChannel ? Array<number>(outputs).fill(S_W) : [S_W],
        zeroPoint: Array<number>(perChannel ? outputs : 1).fill(0),
        ...(perChannel ? { quantizedDimension: 0 } : {}),
      },
    ],
    operators: [{ code: FULLY_CONNECTED, inputs: [0, 2, -1], outputs: [1] }],
    inputs: [0],
    outputs: [1],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-products-'));
const cases: HandDerivedCase[] = [
  // One scale: the product is rounded to float32 first (q = 1 093 687 552).
  { name: 'FULLY_CONNECTED per-tensor, float32 product, acc 2261', spec: fullyConnected(1), input: [17, 1], expected: [5 + Z_Y] },
  { name: 'FULLY_CONNECTED per-tensor, float32 product, acc -2261', spec: fullyConnected(1), input: [-17, -1], expected: [-5 + Z_Y] },
  // Two equal scales still take TFLM's per-channel path: double product (q = 1 093 687 488).
  { name: 'FULLY_CONNECTED per-channel, double product', spec: fullyConnected(2), input: [17, 1], expected: [4 + Z_Y, 4 + Z_Y] },
  {
    // 1x1 CONV_2D over two input channels, per-tensor weights: double product all the same.
    name: 'CONV_2D per-tensor, double product',
    spec: {
      tensors: [x([1, 1, 1, 2]), y([1, 1, 1, 1]), { name: 'w', type: INT8, shape: [1, 1, 1, 2], data: Int8Array.from(TAPS), scale: [S_W], zeroPoint: [0] }],
      operators: [{ code: CONV_2D, inputs: [0, 2, -1], outputs: [1], options: conv2dOptions({ padding: VALID, stride: [1, 1] }) }],
      inputs: [0],
      outputs: [1],
    },
    input: [-17, -1],
    expected: [-4 + Z_Y],
  },
  {
    // 1x2 DEPTHWISE_CONV_2D on a 1x2x1 input, per-tensor weights: double product.
    name: 'DEPTHWISE_CONV_2D per-tensor, double product',
    spec: {
      tensors: [x([1, 1, 2, 1]), y([1, 1, 1, 1]), { name: 'w', type: INT8, shape: [1, 1, 2, 1], data: Int8Array.from(TAPS), scale: [S_W], zeroPoint: [0] }],
      operators: [{ code: DEPTHWISE_CONV_2D, inputs: [0, 2, -1], outputs: [1], options: depthwiseOptions({ padding: VALID, stride: [1, 1], multiplier: 1 }) }],
      inputs: [0],
      outputs: [1],
    },
    input: [17, 1],
    expected: [4 + Z_Y],
  },
];
describeHandDerivedCases(cases, dir);

/**
 * tflite rounding on an ONNX model applies TFLM's rule for the TFLite op the ONNX op stands for:
 * QLinearMatMul and QGemm with a per-tensor B are FULLY_CONNECTED (or BATCH_MATMUL, the same
 * rule), QLinearConv is CONV_2D. Same scales and accumulators as above.
 */
describe('ONNX models in tflite rounding take TFLM multiplier rules', () => {
  const scalar = (g: GraphBuilder, v: number, type: 'float32' | 'int8' = 'float32') => g.scalar(v, type);
  function matMulModel(op: 'QLinearMatMul' | 'QGemm'): string {
    const g = new GraphBuilder();
    const a = g.input('x', 'int8', [1, 2]);
    // B is [K, N] = [2, 1] for both (QGemm without transB).
    const b = g.constant('int8', [2, 1], TAPS);
    const inputs = [a, scalar(g, S_X), scalar(g, 0, 'int8'), b, scalar(g, S_W), scalar(g, 0, 'int8')];
    const [out] = op === 'QLinearMatMul' ? g.node(op, [...inputs, scalar(g, S_Y), scalar(g, Z_Y, 'int8')]) : g.node(op, [...inputs, '', scalar(g, S_Y), scalar(g, Z_Y, 'int8')], {}, { domain: 'com.microsoft' });
    g.output(g.rename(out!, 'y'), 'int8', [1, 1]);
    return g.save(`${op}.onnx`);
  }
  function convModel(): string {
    const g = new GraphBuilder();
    const input = g.input('x', 'int8', [1, 2, 1, 1]);
    const w = g.constant('int8', [1, 2, 1, 1], TAPS);
    const [out] = g.node('QLinearConv', [input, scalar(g, S_X), scalar(g, 0, 'int8'), w, scalar(g, S_W), scalar(g, 0, 'int8'), scalar(g, S_Y), scalar(g, Z_Y, 'int8')], { kernel_shape: [1, 1] });
    g.output(g.rename(out!, 'y'), 'int8', [1, 1, 1, 1]);
    return g.save('conv.onnx');
  }

  const models: { name: string; path: () => string; expected: number[] }[] = [
    { name: 'QLinearMatMul (per-tensor B: float32 product)', path: () => matMulModel('QLinearMatMul'), expected: [5 + Z_Y, -5 + Z_Y] },
    { name: 'QGemm (per-tensor B: float32 product)', path: () => matMulModel('QGemm'), expected: [5 + Z_Y, -5 + Z_Y] },
    { name: 'QLinearConv (double product)', path: convModel, expected: [4 + Z_Y, -4 + Z_Y] },
  ];
  const record = new Uint8Array(Int8Array.from([17, 1, -17, -1]).buffer);
  describe.each(models)('$name', ({ path, expected }) => {
    const compiled = compileModel({ modelPath: path(), rounding: 'tflite' });
    const want = Buffer.from(Int8Array.from(expected).buffer);
    itGivesHandDerivedBytes(compiled, [record.subarray(0, 2), record.subarray(2, 4)], want);
  });
});
