/**
 * TFLite MEAN, RELU and RELU6 where tinygen used to part from TFLM (issue 16), each against a hand
 * derivation of TFLM's int8 kernels, through the reference interpreter and the host C, and a
 * chain of all three bit-exact under QEMU.
 *
 * Notation: SRDHM(a, M) = trunc((a·M + nudge) / 2^31), nudge 2^30 for a·M >= 0 and 1 − 2^30
 * below; RDBPOT(v, e) = v / 2^e rounded half away from zero; MBQM(a, M, s) = SRDHM(a << s, M)
 * for s > 0, RDBPOT(SRDHM(a, M), −s) otherwise. A real multiplier r becomes M = round(f · 2^31),
 * s = e with r = f · 2^e, f in [0.5, 1).
 *
 * MEAN (reference QuantizedMeanOrSum): M and s of s_x / s_y (float32 scales divided in double),
 * then with k = min(floor(log2 n), 32, 31 + s): M' = trunc((M << k) / n), s' = s − k, and
 * y = clamp(MBQM(Σ(x − z_x), M', s') + z_y). One rounding where tinygen had two.
 */
import { describeHandDerivedCases } from '../helpers/tflite-hand-cases.ts';
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reducerOptions, type ModelSpec, type OperatorSpec, type TensorSpec } from '../helpers/tflite-builder.ts';
import { tflmMeanMultiplier } from '../../src/ops/common/mean.ts';
import { BuiltinOperator, TensorType } from '../../src/frontend/tflite/schema.ts';

const { INT8, INT32 } = TensorType;
const { RELU, RELU6, MEAN } = BuiltinOperator;

interface Activation {
  shape: number[];
  scale: number;
  zeroPoint?: number;
}

const int8 = (name: string, a: Activation): TensorSpec => ({ name, type: INT8, shape: a.shape, scale: [a.scale], zeroPoint: [a.zeroPoint ?? 0] });

/** x (tensor 0) → op → y (tensor 1); MEAN reads its axes from tensor 2. */
function unary(x: Activation, y: Activation, code: number, mean?: { axes: number[]; keepDims: boolean }): ModelSpec {
  const op: OperatorSpec = { code, inputs: mean ? [0, 2] : [0], outputs: [1], ...(mean ? { options: reducerOptions(mean.keepDims) } : {}) };
  return {
    tensors: [int8('x', x), int8('y', y), ...(mean ? [{ name: 'axes', type: INT32, shape: [mean.axes.length], data: Int32Array.from(mean.axes) }] : [])],
    operators: [op],
    inputs: [0],
    outputs: [1],
  };
}

const meanOf2 = (sx: number, sy: number) => unary({ shape: [1, 2], scale: sx }, { shape: [1], scale: sy }, MEAN, { axes: [1], keepDims: false });

const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-mean-relu-'));

const cases = [
  {
    // s_x = 0.1f = 0.100000001490116, s_y = 0.07f = 0.0700000002980232: s_x / s_y = 1.42857144377670
    // = 0.714285721888 · 2^1, M = 1533916908, s = 1. n = 2: k = min(1, 32, 32) = 1,
    // M' = (M << 1) / 2 = M, s' = 0. Σ = 2: SRDHM(2, M) = trunc((3067833816 + 2^30) / 2^31)
    // = trunc(1.93) = 1. (Twice rounded: SRDHM(2 << 1, M) = trunc(3.36) = 3, then 3 / 2 → 2.)
    name: 'MEAN of [1, 1], s_x 0.1, s_y 0.07',
    spec: meanOf2(0.1, 0.07),
    input: [1, 1],
    expected: [1],
  },
  {
    // As above with Σ = −2: SRDHM(−2, M) = trunc((−3067833816 + 1 − 2^30) / 2^31) = trunc(−1.93) = −1.
    name: 'MEAN of [-1, -1], s_x 0.1, s_y 0.07',
    spec: meanOf2(0.1, 0.07),
    input: [-1, -1],
    expected: [-1],
  },
  {
    // s_x = s_y: r = 1 = 0.5 · 2^1, M = 2^30, s = 1; n = 2: k = 1, M' = 2^30, s' = 0.
    // Σ = −1: SRDHM(−1, 2^30) = trunc((−2^30 + 1 − 2^30) / 2^31) = trunc(−0.99999999953) = 0.
    name: 'MEAN of [-1, 0], equal scales',
    spec: meanOf2(0.5, 0.5),
    input: [-1, 0],
    expected: [0],
  },
  {
    // Same constants; Σ = −255: trunc((−255 · 2^30 + 1 − 2^30) / 2^31) = trunc(−127.9999999995) = −127.
    name: 'MEAN of [-128, -127], equal scales',
    spec: meanOf2(0.5, 0.5),
    input: [-128, -127],
    expected: [-127],
  },
  {
    // keep_dims = false over both axes of [2, 2], the output declared [1] (TFLM reads only its
    // element count); the axes [1, -2, 1] resolve to {1, 0} as TFLM's ResolveAxis drops repeats.
    // s_x = s_y = 0.5, z_x = 1, z_y = −2: M = 2^30, s = 1; n = 4: k = 2, M' = 2^30, s' = −1.
    // Σ(x − 1) = 0 + 1 + 2 + 8 = 11: SRDHM(11, 2^30) = trunc(12 · 2^30 / 2^31) = 6,
    // RDBPOT(6, 1) = 3; 3 − 2 = 1.
    name: 'MEAN over every axis, keep_dims false, output [1]',
    spec: unary({ shape: [2, 2], scale: 0.5, zeroPoint: 1 }, { shape: [1], scale: 0.5, zeroPoint: -2 }, MEAN, { axes: [1, -2, 1], keepDims: false }),
    input: [1, 2, 3, 9],
    expected: [1],
  },
  {
    // CalculateReluOpData: r = (double)(0.05f / 0.1f) = 0.5 exactly (0.05f is half of 0.1f),
    // M = 2^30, s = 0; y = clamp(MBQM(x − 0, M, 0) − 10, max(−128, −10), 127):
    // −100 → trunc((−100 · 2^30 + 1 − 2^30) / 2^31) = trunc(−50.4999) = −50 → −60 → −10;
    // 10 → trunc(11 · 2^30 / 2^31) = trunc(5.5) = 5 → −5; 50 → 25 → 15; 127 → 64 → 54.
    name: 'RELU requantizing 0.05/0 to 0.1/-10',
    spec: unary({ shape: [1, 4], scale: 0.05 }, { shape: [1, 4], scale: 0.1, zeroPoint: -10 }, RELU),
    input: [-100, 10, 50, 127],
    expected: [-10, -5, 15, 54],
  },
  {
    // r = 1 / 2^-24 = 2^24 = 0.5 · 2^25: M = 2^30, s = 25, so x << 25 wraps int32 from x = 64 on
    // and below x = −64. TFLM requantizes every x and then clamps to [z_y, 127] = [0, 127]:
    // 1 → SRDHM(2^25, 2^30) = 2^24 → 127; 64 → 2^31 wraps to −2^31, SRDHM = −2^30 → 0;
    // 127 → 127 · 2^25 wraps to −2^25, SRDHM = −2^24 → 0; −5 → −5 · 2^24 → 0;
    // −65 → −65 · 2^25 = −2181038080 wraps to 2113929216, SRDHM = 1056964608 → 127 (a negative x
    // that "RELU gives z_y below the zero point" would send to 0).
    name: 'RELU whose left shift wraps',
    spec: unary({ shape: [1, 6], scale: 1 }, { shape: [1, 6], scale: 2 ** -24 }, RELU),
    input: [-5, 0, 1, 64, 127, -65],
    expected: [0, 0, 127, 0, 0, 127],
  },
  {
    // Relu6Prepare: zero = z_x = 3, six = round(6f / 0.05f) + 3 = round(119.99999821 in float32,
    // which is 120) + 3 = 123; the bytes are clamped to [3, 123] and keep no trace of the output's
    // 0.1/−10 (whose own bounds would be [−10, 50]).
    name: 'RELU6 with the output quantized unlike the input',
    spec: unary({ shape: [1, 6], scale: 0.05, zeroPoint: 3 }, { shape: [1, 6], scale: 0.1, zeroPoint: -10 }, RELU6),
    input: [-128, 2, 3, 100, 123, 127],
    expected: [3, 3, 3, 100, 123, 123],
  },
];

describeHandDerivedCases(cases, dir);

describe("TFLM's MEAN multiplier", () => {
  it('folds 1 / n with k = floor(log2 n), truncating', () => {
    // n = 3: k = 1, M' = 2^31 / 3 = 715827882.67 → 715827882, s' = 1 − 1 = 0.
    expect(tflmMeanMultiplier({ multiplier: 2 ** 30, shift: 1 }, 3)).toEqual({ multiplier: 715827882, shift: 0 });
    // n = 49 (7x7): k = 5, M' = 2^35 / 49 = 701219150.37 → 701219150, s' = −5.
    expect(tflmMeanMultiplier({ multiplier: 2 ** 30, shift: 0 }, 49)).toEqual({ multiplier: 701219150, shift: -5 });
  });

  it('caps k at 31 + s so that s stays at least -31', () => {
    // s = −30, n = 4: k = min(2, 32, 1) = 1, M' = 2^31 / 4 = 2^29, s' = −31.
    expect(tflmMeanMultiplier({ multiplier: 2 ** 30, shift: -30 }, 4)).toEqual({ multiplier: 2 ** 29, shift: -31 });
  });
});
