/**
 * TFLite STRIDED_SLICE, QUANTIZE (float32 → int8 and int8 → int8) and the RELU6 / RELU_N1_TO_1
 * bounds, against hand derivations of TFLM's reference kernels: the reference interpreter and
 * the host-compiled C must both give the derived bytes. Then a chain of them bit-exact under
 * QEMU, and the operator version check.
 */
import { describeHandDerivedCases } from '../helpers/tflite-hand-cases.ts';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../../src/pipeline.ts';
import { buildTflite, stridedSliceOptions, type ModelSpec, type TensorSpec } from '../helpers/tflite-builder.ts';
import { expectOneLineError } from '../helpers/one-line-error.ts';
import { ActivationFunctionType, BuiltinOperator, TensorType } from '../../src/frontend/tflite/schema.ts';

const { FLOAT32, INT8, INT32 } = TensorType;
const { FULLY_CONNECTED, RELU_N1_TO_1, RELU6, STRIDED_SLICE, QUANTIZE } = BuiltinOperator;
const RELU6_ACTIVATION = ActivationFunctionType.RELU6;
const f32 = Math.fround;

const int8 = (name: string, shape: number[], scale = 0.5, zeroPoint = 0): TensorSpec => ({ name, type: INT8, shape, scale: [scale], zeroPoint: [zeroPoint] });
const int32 = (name: string, values: number[]): TensorSpec => ({ name, type: INT32, shape: [values.length], data: new Int32Array(values) });

/** x (tensor 0) → STRIDED_SLICE → y (tensor 1), with begin, end, strides as tensors 2..4. */
function slice(inShape: number[], outShape: number[], begin: number[], end: number[], strides: number[], options: Parameters<typeof stridedSliceOptions>[0], version = 1): ModelSpec {
  return {
    tensors: [int8('x', inShape), int8('y', outShape), int32('begin', begin), int32('end', end), int32('strides', strides)],
    operators: [{ code: STRIDED_SLICE, inputs: [0, 2, 3, 4], outputs: [1], options: stridedSliceOptions(options), version }],
    inputs: [0],
    outputs: [1],
  };
}

/** x (tensor 0) → one operator → y (tensor 1). */
function unary(x: TensorSpec, y: TensorSpec, code: number): ModelSpec {
  return { tensors: [x, y], operators: [{ code, inputs: [0], outputs: [1] }], inputs: [0], outputs: [1] };
}

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

interface HandCase {
  name: string;
  spec: ModelSpec;
  input: Int8Array | Float32Array;
  expected: number[];
}

const cases: HandCase[] = [
  {
    // x[0][h][c] = 3h + c on [1, 4, 3]. Axis 0 masked both ends: 0..1. Axis 1 from 3 towards 0 in
    // steps of −2: ceil((0 − 3) / −2) = 2 rows, h = 3, 1. Axis 2: 0..3. → rows 3 and 1.
    name: 'STRIDED_SLICE begin/end masks, negative stride',
    spec: slice([1, 4, 3], [1, 2, 3], [5, 3, 0], [-7, 0, 3], [1, -2, 1], { beginMask: 0b001, endMask: 0b001 }),
    input: Int8Array.from(iota(12)),
    expected: [9, 10, 11, 3, 4, 5],
  },
  {
    // x = 0..23 on [2, 3, 4]. Axis 0 shrunk at begin −1 → 1 (end ignored, one element, axis
    // dropped). Axis 1: 0..3 step 2 → 0, 2. Axis 2: −3 → 1 up to −1 → 3 → 1, 2.
    // x[1][0][1..2] = 13, 14; x[1][2][1..2] = 21, 22.
    name: 'STRIDED_SLICE shrink axis, negative indices, stride 2',
    spec: slice([2, 3, 4], [2, 2], [-1, 0, -3], [0, 3, -1], [1, 2, 1], { shrinkAxisMask: 0b001 }),
    input: Int8Array.from(iota(24)),
    expected: [13, 14, 21, 22],
  },
  {
    // Axis 1 masked both ends with stride −1: from size − 1 down past −1, the whole row reversed.
    name: 'STRIDED_SLICE reversal by masks and stride −1',
    spec: slice([1, 5], [1, 5], [0, 0], [1, 0], [1, -1], { beginMask: 0b10, endMask: 0b10 }),
    input: Int8Array.from([1, 2, 3, 4, 5]),
    expected: [5, 4, 3, 2, 1],
  },
  {
    // TFLM's AffineQuantize: round(x / 0.5) half away from zero, + 3, clamped.
    // x / s = 0.5, −0.5, 1.5, 2.5, −2.5, 0.4, 200, −200 → 1, −1, 2, 3, −3, 0 (+3), then 127, −128.
    // Half to even would give 3, 3, 5, 5, 1 on the first five.
    name: 'QUANTIZE float32 → int8, ties away from zero',
    spec: unary({ name: 'x', type: FLOAT32, shape: [1, 8] }, int8('y', [1, 8], 0.5, 3), QUANTIZE),
    input: Float32Array.from([0.25, -0.25, 0.75, 1.25, -1.25, 0.2, 100, -100]),
    expected: [4, 2, 5, 6, 0, 3, 127, -128],
  },
  {
    // TFLM's Requantize: M = s_x / s_y = 0.375 = 0.75 · 2^−1 (Q31 0.75, shift −1); x − z_x =
    // 6, 2, −6, 3, 100, −128. SaturatingRoundingDoublingHighMul by 0.75 rounds ties toward +∞:
    // 4.5 → 5, 1.5 → 2, −4.5 → −4, 2.25 → 2, 75, −96; RoundingDivideByPOT(1) ties away from zero:
    // 2.5 → 3, 1, −2, 1, 37.5 → 38, −48; + z_y = −3. The single rounding of 6 · 0.375 = 2.25
    // would give 2 (−1 after z_y): the double-rounding tie.
    name: 'QUANTIZE int8 → int8, double rounding',
    spec: unary(int8('x', [1, 6], 0.375, 2), int8('y', [1, 6], 1, -3), QUANTIZE),
    input: Int8Array.from([8, 4, -4, 5, 102, -126]),
    expected: [0, -2, -5, -2, 35, -51],
  },
  {
    // s = fround(2.4): fround(6 / s) = 2.5 exactly (checked below), so TFLM's upper bound is
    // −128 + round(2.5) = −125 (half to even: −126).
    name: 'RELU6 bound on an exact tie',
    spec: unary(int8('x', [1, 7], f32(2.4), -128), int8('y', [1, 7], f32(2.4), -128), RELU6),
    input: Int8Array.from([-128, -127, -126, -125, -124, 0, 127]),
    expected: [-128, -127, -126, -125, -125, -125, -125],
  },
  {
    // s = fround(0.4): fround(±1 / s) = ±2.5, so the bounds are ∓3 (half to even: ∓2).
    name: 'RELU_N1_TO_1 bounds on exact ties',
    spec: unary(int8('x', [1, 7], f32(0.4)), int8('y', [1, 7], f32(0.4)), RELU_N1_TO_1),
    input: Int8Array.from([-5, -3, -2, 0, 2, 3, 5]),
    expected: [-3, -3, -2, 0, 2, 3, 3],
  },
  {
    // Fused RELU6 (CalculateActivationRangeQuantized): y = x · 1 / fround(2.4) − 128 with the
    // upper bound −125 as above. x = 5 → 2.08 → −126; 7 → 2.92 → −125; 127 → 52.9 → −125.
    name: 'FULLY_CONNECTED fused RELU6 bound on an exact tie',
    spec: {
      tensors: [int8('x', [3, 1], 1), int8('y', [3, 1], f32(2.4), -128), { name: 'w', type: INT8, shape: [1, 1], data: new Int8Array([1]), scale: [1], zeroPoint: [0] }],
      operators: [{ code: FULLY_CONNECTED, inputs: [0, 2, -1], outputs: [1], fusedActivation: RELU6_ACTIVATION }],
      inputs: [0],
      outputs: [1],
    },
    input: Int8Array.from([5, 7, 127]),
    expected: [-126, -125, -125],
  },
];

const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-slice-quantize-'));

describe('the ties the derivations rely on', () => {
  it('fround(6 / fround(2.4)) and fround(1 / fround(0.4)) are exactly 2.5', () => {
    expect(f32(6 / f32(2.4))).toBe(2.5);
    expect(f32(1 / f32(0.4))).toBe(2.5);
  });
});

describeHandDerivedCases(cases, dir);

describe('TFLite STRIDED_SLICE options tinygen refuses', () => {
  const refused: [string, Parameters<typeof stridedSliceOptions>[0], RegExp][] = [
    ['ellipsis', { ellipsisMask: 0b010 }, /operator 0 \(STRIDED_SLICE\): ellipsis_mask 2 is not supported$/],
    ['new-axis', { newAxisMask: 0b001 }, /operator 0 \(STRIDED_SLICE\): new_axis_mask 1 is not supported$/],
    ['offset', { offset: true }, /operator 0 \(STRIDED_SLICE\): offset \(end relative to begin\) is not supported$/],
  ];
  it.each(refused)('%s: exit 2 with one line', async (name, options, pattern) => {
    await expectOneLineError(dir, `refused-${name}.tflite`, buildTflite(slice([2, 3], [2, 3], [0, 0], [2, 3], [1, 1], options)), pattern);
  }, 60_000);
});

describe('TFLite operator versions', () => {
  it('a version above the supported one: exit 2 with one line naming it', async () => {
    const spec = slice([2, 3], [1, 3], [1, 0], [2, 3], [1, 1], {}, 7);
    await expectOneLineError(dir, 'version.tflite', buildTflite(spec), /operator 0 \(STRIDED_SLICE\): version 7 is not supported \(up to 6\)$/);
  }, 60_000);

  it('the highest supported version compiles', () => {
    const path = join(dir, 'version-ok.tflite');
    writeFileSync(path, buildTflite(slice([2, 3], [1, 3], [1, 0], [2, 3], [1, 1], {}, 6)));
    expect(compileModel({ modelPath: path }).graph.nodes.map((n) => n.op)).toContain('StridedSlice');
  });
});
