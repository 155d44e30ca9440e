/**
 * TFLite CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, MAX_POOL_2D, ADD, MUL, MEAN, PAD,
 * CONCATENATION, TRANSPOSE and RELU6, one small model each,
 * against hand derivations of TFLM's int8 kernels (tflite rounding): the reference interpreter
 * and the host-compiled C must both give the derived bytes. M is the real multiplier; TFLM's
 * double rounding first halves ties toward +∞ (SaturatingRoundingDoublingHighMul), then rounds
 * ties away from zero (RoundingDivideByPOT).
 */
import { describeHandDerivedCases } from '../helpers/tflite-hand-cases.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arithmeticOptions, concatenationOptions, conv2dOptions, reducerOptions, depthwiseOptions, pool2dOptions, type ModelSpec } from '../helpers/tflite-builder.ts';
import { ActivationFunctionType, BuiltinOperator, Padding, TensorType } from '../../src/frontend/tflite/schema.ts';

const { INT8, INT32 } = TensorType;
const { ADD, AVERAGE_POOL_2D, CONCATENATION, CONV_2D, DEPTHWISE_CONV_2D, MAX_POOL_2D, MUL, RELU6, PAD, TRANSPOSE, MEAN } = BuiltinOperator;
const { SAME, VALID } = Padding;
const { RELU, RELU_N1_TO_1 } = ActivationFunctionType;

interface HandCase {
  name: string;
  spec: ModelSpec;
  input: number[];
  expected: number[];
}

interface ActivationSpec {
  shape: number[];
  scale: number;
  zeroPoint?: number;
}

/** x (tensor 0) → one operator → y (tensor 1); constants from tensor 2 on. */
const unary = (x: ActivationSpec, y: ActivationSpec, op: ModelSpec['operators'][number], constants: ModelSpec['tensors'] = []): ModelSpec => ({
  tensors: [
    { name: 'x', type: INT8, shape: x.shape, scale: [x.scale], zeroPoint: [x.zeroPoint ?? 0] },
    { name: 'y', type: INT8, shape: y.shape, scale: [y.scale], zeroPoint: [y.zeroPoint ?? 0] },
    ...constants,
  ],
  operators: [op],
  inputs: [0],
  outputs: [1],
});

const cases: HandCase[] = [
  {
    // 3x3 SAME, stride 1, on 4x4x2: every in-bounds tap adds 1·1 + 2·1 = 3, so acc = 3·taps − 7:
    // corners 4 taps → 5, edges 6 → 11, inside 9 → 20. M = 0.5·0.5/1 = 0.25:
    // 5 → 2.5 → 3 (tie up) → 1.5 → 2 (the exact 1.25 would give 1); 11 → 5.5 → 6 → 3; 20 → 10 → 5.
    name: 'CONV_2D 3x3 SAME on 4x4x2',
    spec: unary({ shape: [1, 4, 4, 2], scale: 0.5 }, { shape: [1, 4, 4, 1], scale: 1 }, { code: CONV_2D, inputs: [0, 2, 3], outputs: [1], options: conv2dOptions({ padding: SAME, stride: [1, 1] }) }, [
      { name: 'w', type: INT8, shape: [1, 3, 3, 2], data: new Int8Array(18).fill(1), scale: [0.5], zeroPoint: [0] },
      { name: 'b', type: INT32, shape: [1], data: new Int32Array([-7]) },
    ]),
    input: Array.from({ length: 16 }, () => [1, 2]).flat(),
    expected: [2, 3, 3, 2, 3, 5, 5, 3, 3, 5, 5, 3, 2, 3, 3, 2],
  },
  {
    // 2x2 VALID depthwise, multiplier 2, on 2x2x2 (c0 = 1 2 3 4, c1 = 5 6 7 8 in HW order);
    // output channel c·2 + m. Taps of m = 0: all 1; of channel 1: [1, −1, 0, 0]; of channel 3: [1, −1, 1, 0].
    // acc = [10, −1, 26, 6]; M = 0.25 for channels 0 and 2 (scale 0.5), 0.5 for 1 and 3 (scale 1):
    // 10 → 5 → 2.5 → 3; −1 · 0.5 = −0.5 → 0 (tie toward +∞); 26 → 13 → 6.5 → 7; 6 · 0.5 = 3.
    name: 'DEPTHWISE_CONV_2D 2x2 VALID, multiplier 2, per-channel',
    spec: unary({ shape: [1, 2, 2, 2], scale: 0.5 }, { shape: [1, 1, 1, 4], scale: 1 }, { code: DEPTHWISE_CONV_2D, inputs: [0, 2, -1], outputs: [1], options: depthwiseOptions({ padding: VALID, stride: [1, 1], multiplier: 2 }) }, [
      { name: 'w', type: INT8, shape: [1, 2, 2, 4], data: new Int8Array([1, 1, 1, 1, 1, -1, 1, -1, 1, 0, 1, 1, 1, 0, 1, 0]), scale: [0.5, 1, 0.5, 1], zeroPoint: [0, 0, 0, 0], quantizedDimension: 3 },
    ]),
    input: [1, 5, 2, 6, 3, 7, 4, 8],
    expected: [3, 0, 7, 3],
  },
  {
    // 2x2 SAME, stride 2, on 3x3 (−4 … 4): out 2x2, the odd pad row and column at the end.
    // Windows in bounds: {−4, −3, −1, 0} = −8 / 4 = −2; {−2, 1} = −0.5 → −1 (away from zero);
    // {2, 3} = 2.5 → 3; {4} = 4.
    name: 'AVERAGE_POOL_2D 2x2 SAME stride 2',
    spec: unary({ shape: [1, 3, 3, 1], scale: 0.1 }, { shape: [1, 2, 2, 1], scale: 0.1 }, { code: AVERAGE_POOL_2D, inputs: [0], outputs: [1], options: pool2dOptions({ padding: SAME, stride: [2, 2], filter: [2, 2] }) }),
    input: [-4, -3, -2, -1, 0, 1, 2, 3, 4],
    expected: [-2, -1, 3, 4],
  },
  {
    // 2x2 VALID on 2x2x5, five channels (a group of four and one more, as the NHWC kernel walks
    // them): sums 10, −10, 5, −5, 507 over 4 taps → 2.5 → 3, −2.5 → −3 (away from zero),
    // 1.25 → 1, −1.25 → −1, 126.75 → 127.
    name: 'AVERAGE_POOL_2D 2x2 VALID on five channels',
    spec: unary({ shape: [1, 2, 2, 5], scale: 0.1 }, { shape: [1, 1, 1, 5], scale: 0.1 }, { code: AVERAGE_POOL_2D, inputs: [0], outputs: [1], options: pool2dOptions({ padding: VALID, stride: [2, 2], filter: [2, 2] }) }),
    input: [1, -1, 1, -1, 127, 2, -2, 1, -1, 127, 3, -3, 1, -1, 127, 4, -4, 2, -2, 126],
    expected: [3, -3, 1, -1, 127],
  },
  {
    // Same windows, their maxima 0, 1, 3, 4, then RELU_N1_TO_1 at scale 1 clamps to [−1, 1].
    name: 'MAX_POOL_2D 2x2 SAME stride 2, fused RELU_N1_TO_1',
    spec: unary({ shape: [1, 3, 3, 1], scale: 1 }, { shape: [1, 2, 2, 1], scale: 1 }, { code: MAX_POOL_2D, inputs: [0], outputs: [1], options: pool2dOptions({ padding: SAME, stride: [2, 2], filter: [2, 2], activation: RELU_N1_TO_1 }) }),
    input: [-4, -3, -2, -1, 0, 1, 2, 3, 4],
    expected: [0, 1, 1, 1],
  },
  {
    // a [1, 1, 2, 2] + b [1, 1, 1, 2] = [0, 1] along C, sa = sb = 1, sy = 2. TFLM: each input << 20
    // times sa / (2·max(sa, sb)) = 0.5, the sum times 2·max / (2^20 · sy) = 2^−20, i.e. a halving:
    // 1 + 0 → 0.5 → 1 (away from zero), −2 + 1 → −0.5 → −1, 3 + 0 → 1.5 → 2, 4 + 1 → 2.5 → 3.
    name: 'ADD with broadcasting',
    spec: {
      tensors: [
        { name: 'a', type: INT8, shape: [1, 1, 2, 2], scale: [1], zeroPoint: [0] },
        { name: 'b', type: INT8, shape: [1, 1, 1, 2], data: new Int8Array([0, 1]), scale: [1], zeroPoint: [0] },
        { name: 'y', type: INT8, shape: [1, 1, 2, 2], scale: [2], zeroPoint: [0] },
      ],
      operators: [{ code: ADD, inputs: [0, 1], outputs: [2], options: arithmeticOptions('AddOptions', 0) }],
      inputs: [0],
      outputs: [2],
    },
    input: [1, -2, 3, 4],
    expected: [1, -1, 2, 3],
  },
  {
    // x · b with b = [1, 1, 1, 3] along C, sa = sb = 0.5, sy = 1: M = 0.25, then RELU at zy = 0.
    // 1 → 0.5 → 1 (tie up) → 0.5 → 1 (the exact 0.25 would give 0); 5 → 2.5 → 3 → 1.5 → 2;
    // −5 → −2.5 → −2 (tie up) → −1, clamped to 0; 3·3 = 9 → 4.5 → 5 → 2.5 → 3 (exact 2.25: 2).
    name: 'MUL with broadcasting, fused RELU',
    spec: unary({ shape: [1, 1, 1, 4], scale: 0.5 }, { shape: [1, 1, 1, 4], scale: 1 }, { code: MUL, inputs: [0, 2], outputs: [1], options: arithmeticOptions('MulOptions', RELU) }, [
      { name: 'b', type: INT8, shape: [4], data: new Int8Array([1, 1, 1, 3]), scale: [0.5], zeroPoint: [0] },
    ]),
    input: [1, 5, -5, 3],
    expected: [1, 2, 0, 3],
  },
  {
    // Over H and W of [1, 2, 2, 2], keep_dims, sx = sy, zx = 1, zy = −1: x − zx is 1 2 3 4 on c0
    // and −1 −2 −2 −1 on c1. TFLM folds 1/4 into M = 2^30, s = 1: k = 2, M' = 2^30, s' = −1, so
    // each sum goes through SRDHM(Σ, 2^30) and RDBPOT(·, 1): 10 → 5 → 3 (2.5 away from zero);
    // −6 → trunc(−3.4999) = −3 → −2 (−1.5 away from zero); + zy.
    name: 'MEAN over H, W with keep_dims',
    spec: unary({ shape: [1, 2, 2, 2], scale: 0.5, zeroPoint: 1 }, { shape: [1, 1, 1, 2], scale: 0.5, zeroPoint: -1 }, { code: MEAN, inputs: [0, 2], outputs: [1], options: reducerOptions(true) }, [
      { name: 'axes', type: INT32, shape: [2], data: new Int32Array([1, 2]) },
    ]),
    input: [2, 0, 3, -1, 4, -1, 5, 0],
    expected: [2, -3],
  },
  {
    // [1, 1, 2, 2] padded by one row on top and one column on the right: the new pixels hold the
    // zero point 3 (real 0) in both channels.
    name: 'PAD on H and W',
    spec: unary({ shape: [1, 1, 2, 2], scale: 0.5, zeroPoint: 3 }, { shape: [1, 2, 3, 2], scale: 0.5, zeroPoint: 3 }, { code: PAD, inputs: [0, 2], outputs: [1] }, [
      { name: 'paddings', type: INT32, shape: [4, 2], data: new Int32Array([0, 0, 1, 0, 0, 1, 0, 0]) },
    ]),
    input: [1, 2, 3, 4],
    expected: [3, 3, 3, 3, 3, 3, 1, 2, 3, 4, 3, 3],
  },
  {
    // x with itself along axis −1 (C): each pixel's one channel twice.
    name: 'CONCATENATION on the channel axis',
    spec: unary({ shape: [1, 1, 2, 1], scale: 0.5 }, { shape: [1, 1, 2, 2], scale: 0.5 }, { code: CONCATENATION, inputs: [0, 0], outputs: [1], options: concatenationOptions(-1) }),
    input: [1, 2],
    expected: [1, 1, 2, 2],
  },
  {
    // H and W swapped: rows 1 2 3 / 4 5 6 become columns.
    name: 'TRANSPOSE of H and W',
    spec: unary({ shape: [1, 2, 3, 1], scale: 0.5 }, { shape: [1, 3, 2, 1], scale: 0.5 }, { code: TRANSPOSE, inputs: [0, 2], outputs: [1] }, [
      { name: 'perm', type: INT32, shape: [4], data: new Int32Array([0, 2, 1, 3]) },
    ]),
    input: [1, 2, 3, 4, 5, 6],
    expected: [1, 4, 2, 5, 3, 6],
  },
  {
    // Scale 0.5, zero point −2: real [0, 6] is [−2, 10].
    name: 'RELU6',
    spec: unary({ shape: [1, 4], scale: 0.5, zeroPoint: -2 }, { shape: [1, 4], scale: 0.5, zeroPoint: -2 }, { code: RELU6, inputs: [0], outputs: [1] }),
    input: [-5, 0, 20, 9],
    expected: [-2, 0, 10, 9],
  },
];

const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-spatial-'));

describeHandDerivedCases(cases, dir);
