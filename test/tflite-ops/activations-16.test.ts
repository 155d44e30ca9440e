/**
 * TFLite's 16x8 LOGISTIC, TANH and SOFTMAX (TFLiteLogistic, TFLiteTanh, TFLiteSoftmax on int16):
 * the constants TFLM's prepare computes, hand derivations of its integer steps (the input
 * scaling with its truncated multiplier, the table lookups with interpolation, the saturation
 * past the table, the softmax sum and reciprocal), outputs of TFLM's own reference code, TFLM's
 * unit-test vectors within their tolerances, the tables, the rejections, the import from a
 * .tflite file, and the C kernels against the reference on the host (ASan/UBSan): every int16
 * input for logistic and tanh, random and edge rows for softmax.
 *
 * "TFLM's own outputs" below were printed by TFLM's reference kernels (reference_integer_ops::
 * Logistic / ::Tanh for int16, reference_ops::SoftmaxInt16, with QuantizeMultiplier,
 * CheckedLog2 and LUTPopulate from the same tree; tflite-micro 90b983c2b, gemmlowp 719139ce)
 * compiled with g++ 12 on x86-64, the prepare arithmetic of logistic_common.cc, tanh.cc and
 * softmax_common.cc restated around them. For logistic and tanh they are SHA-256 digests of the
 * outputs for the inputs -32768..32767 in order, as little-endian int16.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/ir/graph.ts';
import type { Value } from '../../src/ops/op.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { compileModel } from '../../src/pipeline.ts';
import { KERNELS_DIR } from '../../src/toolchain/object-cache.ts';
import { seededRandom } from '../../src/util/random.ts';
import { BuiltinOperator, TensorType } from '../../src/frontend/tflite/schema.ts';
import { buildTflite, options, type TensorSpec } from '../helpers/tflite-builder.ts';
import { checkedLog2, tflmInt16InputScaling } from '../../src/ops/tflite-activation/definition.ts';
import { tfliteLogistic, tfliteTanh } from '../../src/ops/tflite-activation/index.ts';
import { SIGMOID_TABLE_U16 } from '../../src/ops/tflite-activation/sigmoid-table.ts';
import { tfliteSoftmax, tfliteSoftmaxParamsOf } from '../../src/ops/tflite-softmax/index.ts';
import { SOFTMAX_EXP_LUT, SOFTMAX_ONE_OVER_ONE_PLUS_X_LUT } from '../../src/ops/tflite-softmax/luts.ts';
import { compileGraph, hostMismatches, unaryGraph, type Quant, type UnaryCase } from './graphs.ts';

const Q15: Quant = { scale: 2 ** -15, zeroPoint: 0 };
const ALL_INT16 = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);

const activation = (op: 'TFLiteLogistic' | 'TFLiteTanh', scale: number, shape = [1]): UnaryCase => ({ op, shape, x: { scale, zeroPoint: 0 }, y: Q15, xType: 'int16', yType: 'int16' });
const softmax = (scale: number, beta: number, shape: number[]): UnaryCase => ({ op: 'TFLiteSoftmax', shape, x: { scale, zeroPoint: 0 }, y: Q15, attrs: { beta }, xType: 'int16', yType: 'int16' });

/** The reference's output of one case on the given int16 data (the case's shape is kept if it holds it, else made 1-D). */
function outputs(c: UnaryCase, inputs: ArrayLike<number>): Int16Array {
  const shape = c.shape.reduce((a, b) => a * b, 1) === inputs.length ? c.shape : [inputs.length];
  const compiled = compileGraph(unaryGraph([{ ...c, shape }]));
  const [y] = runReference(compiled.graph, [{ dtype: 'int16', shape, data: Int16Array.from(inputs) }]).outputs;
  expect(y!.dtype).toBe('int16');
  return y!.data as Int16Array;
}

function paramsOf(c: UnaryCase): unknown {
  const graph = compileGraph(unaryGraph([c])).graph;
  const node = graph.nodes.find((n) => n.op === c.op)!;
  if (c.op === 'TFLiteSoftmax') return tfliteSoftmaxParamsOf(node);
  return (c.op === 'TFLiteLogistic' ? tfliteLogistic : tfliteTanh).paramsOf(node);
}

const digest = (values: Int16Array) => createHash('sha256').update(Buffer.from(values.buffer, values.byteOffset, values.byteLength)).digest('hex');

describe("TFLM's int16 prepare: the table input's multiplier and shift", () => {
  it('CheckedLog2 in float32: exact powers of two, a near one within 1e-3 of an integer log, and not beyond', () => {
    expect(checkedLog2(2 ** -12)).toEqual({ ok: true, log2: -12 });
    expect(checkedLog2(2 ** -15)).toEqual({ ok: true, log2: -15 });
    // 1/32767 = 2^-15 · 1.00003: log2 is -14.99996, well within 1e-3.
    expect(checkedLog2(1 / 32767)).toEqual({ ok: true, log2: -15 });
    // 0.001 = 2^-9.966: the fraction left is 0.034.
    expect(checkedLog2(0.001).ok).toBe(false);
    // 2^-12 · 1.0005: log2 frac 0.00072 (passes); · 1.002: 0.0029 (fails).
    expect(checkedLog2(Math.fround(2 ** -12 * 1.0005))).toEqual({ ok: true, log2: -12 });
    expect(checkedLog2(Math.fround(2 ** -12 * 1.002)).ok).toBe(false);
  });

  it('powers of two: logistic at 2^-12, tanh at 2^-12 and 2^-11 (TFLM multiplier 0, the kernel uses 3 << shift)', () => {
    // 12 + log2(s) = 0 or 1 is the shift TFLM leaves; the kernel's multiplier is then 3 · 2^shift with no shift.
    expect(tflmInt16InputScaling('logistic', 2 ** -12)).toEqual({ multiplier: 0, leftShift: 0, powerOfTwo: true });
    expect(tflmInt16InputScaling('tanh', 2 ** -11)).toEqual({ multiplier: 0, leftShift: 1, powerOfTwo: true });
    expect(paramsOf(activation('TFLiteLogistic', 2 ** -12))).toEqual({ dtype: 'int16', inputMultiplier: 3, inputShift: 0 });
    expect(paramsOf(activation('TFLiteTanh', 2 ** -12))).toEqual({ dtype: 'int16', inputMultiplier: 3, inputShift: 0 });
    expect(paramsOf(activation('TFLiteTanh', 2 ** -11))).toEqual({ dtype: 'int16', inputMultiplier: 6, inputShift: 0 });
    // A scale within CheckedLog2's tolerance of 2^-12 is taken for 2^-12 exactly.
    expect(paramsOf(activation('TFLiteLogistic', 2 ** -12 * 1.0005))).toEqual({ dtype: 'int16', inputMultiplier: 3, inputShift: 0 });
  });

  it('logistic at 2^-11 is not its power-of-two case: 2^-11 · 12288 = 6, doubled 12 times to 24576', () => {
    expect(paramsOf(activation('TFLiteLogistic', 2 ** -11))).toEqual({ dtype: 'int16', inputMultiplier: 24576, inputShift: 12 });
  });

  it('s = 0.001: 0.001f · 12288 = 12.2880006, doubled 11 times = 25165.825, truncated to 25165 (not rounded to 25166)', () => {
    expect(Math.fround(0.001) * 12288 * 2 ** 11).toBe(25165.8251953125);
    expect(paramsOf(activation('TFLiteLogistic', 0.001))).toEqual({ dtype: 'int16', inputMultiplier: 25165, inputShift: 11 });
    expect(paramsOf(activation('TFLiteTanh', 0.001))).toEqual({ dtype: 'int16', inputMultiplier: 25165, inputShift: 11 });
  });

  it('the doubling stops at a shift of 31 (s = 1e-9: 26388, 31) and does not start above 16383.5 (s = 2.5: 30720, 0)', () => {
    expect(paramsOf(activation('TFLiteLogistic', 1e-9))).toEqual({ dtype: 'int16', inputMultiplier: 26388, inputShift: 31 });
    expect(paramsOf(activation('TFLiteTanh', 2.5))).toEqual({ dtype: 'int16', inputMultiplier: 30720, inputShift: 0 });
  });

  it("softmax: QuantizeMultiplier of s · beta / (10 / 65535) in double", () => {
    // 2^-12 · 6553.5 = 1.59997559 = 0.79998779 · 2^1 → round(0.79998779 · 2^31) = 1717960704, shift 1.
    expect(paramsOf(softmax(2 ** -12, 1, [1, 2]))).toEqual({ dtype: 'int16', outer: 1, length: 2, input: { multiplier: 1717960704, shift: 1 } });
    // TFLM's unit-test scale 0.1: 655.35 → (1374368584, 10); rows of the last axis.
    expect(paramsOf(softmax(0.1, 1, [3, 4, 5]))).toEqual({ dtype: 'int16', outer: 12, length: 5, input: { multiplier: 1374368584, shift: 10 } });
  });
});

describe('TFLiteLogistic int16: hand derivations of the table lookup', () => {
  it('s = 2^-12 (v = 3x, units of 1/12288): x = ±100 interpolates between sigmoid(0) and sigmoid(1/24)', () => {
    const y = outputs(activation('TFLiteLogistic', 2 ** -12), [100, -100, 0]);
    // x = 100: v = 300, index 300 >> 9 = 0, fraction 300: r = 32768 · 512 + 300 · (33451 - 32768) = 16982116;
    // (r + 512) >> 10 = 16584 (real sigmoid(100/4096) · 32768 = 16583.99).
    // x = -100: (2^25 - r + 512 - 1) >> 10 = 16572827 >> 10 = 16184 = 32768 - 16584.
    // x = 0: (2^24 + 512) >> 10 = 16384, one half.
    expect(Array.from(y)).toEqual([16584, 16184, 16384]);
  });

  it('s = 0.001 (25165, 11): the truncated multiplier decides x = ±4000', () => {
    const y = outputs(activation('TFLiteLogistic', 0.001), [4000, -4000, 1000]);
    // x = 4000: v = (4000 · 25165 + 1024) >> 11 = 49150 (25166 would give 49152); index 95, fraction 510:
    // r = 64308 · 512 + 510 · (64357 - 64308) = 32950686; (r + 512) >> 10 = 32178 (25166: 32179).
    // x = -4000: (2^25 - 32950686 + 511) >> 10 = 604257 >> 10 = 590 (25166: 589).
    // x = 1000: v = (25165000 + 1024) >> 11 = 12288 = 24 · 512 exactly: T[24] = 47911, (47911 · 512 + 512) >> 10 = 23956.
    expect(Array.from(y)).toEqual([32178, 590, 23956]);
  });

  it('beyond the table (|v| >> 9 >= 255) it saturates to 32767 above and 1, not 0, below', () => {
    const y = outputs(activation('TFLiteLogistic', 0.001), [20000, -20000, 32767, -32768]);
    // x = 20000: v = 245752, index 479: r = 0x7FFF << 10 = 33553408; (r + 512) >> 10 = 32767.
    // Below zero: (2^25 - 33553408 + 511) >> 10 = 1535 >> 10 = 1.
    expect(Array.from(y)).toEqual([32767, 1, 32767, 1]);
  });
});

describe('TFLiteTanh int16: hand derivations of the table lookup (tanh(x) = 2 sigmoid(2x) - 1)', () => {
  it('s = 2^-11 (v = 6x): x = ±1000, ±1 and 0', () => {
    const y = outputs(activation('TFLiteTanh', 2 ** -11), [1000, -1000, 1, -1, 0]);
    // x = 1000: v = 6000, index 6000 >> 8 = 23, fraction 112: r = 47369 · 256 + 112 · (47911 - 47369) = 12187168;
    // (r - 2^23 + 2^7) >> 8 = 3798688 >> 8 = 14838 (real tanh(1000/2048) · 32768 = 14839.03).
    // x = -1000: (-r + 2^23 + 2^7 - 1) >> 8 = -3798433 >> 8 = -14838 (floor of -14837.6).
    // x = ±1: r = 8388608 + 6 · 683 = 8392706; (4098 + 128) >> 8 = 16; (-4098 + 127) >> 8 = -16.
    // x = 0: (8388608 - 8388608 + 128) >> 8 = 0.
    expect(Array.from(y)).toEqual([14838, -14838, 16, -16, 0]);
  });

  it('beyond the table (|v| >> 8 >= 255): 32767 above and -32767, not -32768, below', () => {
    const y = outputs(activation('TFLiteTanh', 2 ** -11), [10880, 10879, 32767, -32768]);
    // x = 10880: v = 65280 = 255 · 256 → r = 0xFFFF << 8 = 16776960; (r - 2^23 + 128) >> 8 = 8388480 >> 8 = 32767.
    // x = 10879: v = 65274, index 254, fraction 250: r = 65534 · 256 + 250 · 1 = 16776954 → 8388474 >> 8 = 32767.
    // x = -32768: (-16776960 + 2^23 + 127) >> 8 = -8388225 >> 8 = -32767 (floor of -32766.5).
    expect(Array.from(y)).toEqual([32767, 32767, 32767, -32767]);
  });
});

describe('TFLiteSoftmax int16: hand derivations (s = 2^-12, beta 1: multiplier 1717960704, shift 1)', () => {
  it('the row [0, -4096] (real differences 0 and -1)', () => {
    // d = 0: scaled 0, + 32767 → table index 256 + (32767 >> 7) = 511, offset 127:
    //   32133 + ((32767 - 32133) · 127 + 64) >> 7 = 32133 + 629 = 32762.
    // d = -4096: SRDHM(-8192, 1717960704) = -6553.4 → -6553; + 32767 = 26214 → index 460, offset 102:
    //   11867 + ((12102 - 11867) · 102 + 64) >> 7 = 11867 + 187 = 12054 (exp(-1) · 32767 = 12054.3).
    // sum 44816, 16 leading zeros: ((44816 << 15) + 2^13) >> 14 = 89632 (1 + 0.3677 in units of 2^-16);
    //   89632 - 98304 = -8672 → index 256 + (-8672 >> 7) = 188, offset -8672 & 127 = 32:
    //   23967 + ((23933 - 23967) · 32 + 64) >> 7 = 23967 - 8 = 23959 (1 / 1.3677 · 32768 = 23959.0).
    // Right shift 31 - 16 = 15: (32762 · 23959 + 2^14) >> 15 = 23955; (12054 · 23959 + 2^14) >> 15 = 8814.
    expect(Array.from(outputs(softmax(2 ** -12, 1, [1, 2]), [0, -4096]))).toEqual([23955, 8814]);
  });

  it('a row of one element: the reciprocal step overshoots 32767 and the clamp holds it', () => {
    // e = 32762, 17 leading zeros: (32762 << 16 + 2^13) >> 14 = 131048; - 98304 = 32744 → index 511, offset 104:
    // 16400 + ((16384 - 16400) · 104 + 64) >> 7 = 16400 - 13 = 16387 (the shift floors -12.5).
    // (32762 · 16387 + 2^13) >> 14 = 32768 → 32767.
    expect(Array.from(outputs(softmax(0.001, 1, [2, 1]), [123, -32768]))).toEqual([32767, 32767]);
  });

  it("far differences meet the table's floor: exp(-10) and below read 2", () => {
    // d = -40960 (real -10): scaled -65535, + 32767 = -32768 → index 0, offset 0 → 2; so does d = -65535.
    // Sum 32766, 17 leading zeros: (32766 << 16 + 2^13) >> 14 = 131064; - 98304 = 32760 → index 511, offset 120:
    // 16400 + (-16 · 120 + 64) >> 7 = 16400 - 15 = 16385. Shift 14: (32762 · 16385 + 2^13) >> 14 = 32764
    // (32764.5 floored), (2 · 16385 + 2^13) >> 14 = 2.
    expect(Array.from(outputs(softmax(2 ** -12, 1, [1, 3]), [32767, 32767 - 40960, -32768]))).toEqual([32764, 2, 2]);
  });
});

describe("TFLM's own outputs (its reference kernels, see the file's head)", () => {
  // [scale, logistic digest, tanh digest]; the scales are float32.
  const DIGESTS: [number, string, string][] = [
    [2 ** -12, '5e888504031254f717a2ed75fe553ee16fe6ca76be6e92ecb2173027b1338c09', 'e45a877eb31d4a7090291f88b9a42db1b1464270f80d04c2fd227c31f6ed031f'],
    [2 ** -11, '692082fc1bbefbafb0c78eceb9b348688c89708bf781f185dae8a7ab8927f494', 'a1cf63d5e0312ce7a4ade3ca7d6ad66a1c60aef370a03fde34347de09cdce3d5'],
    [0.001, '635d90b00be09870c720e6db40079cf4ac323050b3568fa59d4682746e9275bb', 'cae9f5d1531986654befd0adbdbd13d5c8c6d731814ece42b03867e6a8281036'],
    [0.00030518509, '77f6b545bac2c7d60a27c9a97b6942981ea1d04cafdef27994eb2c6b89971aae', '2feb3eead1e4f8024428f258dc4f28760077c36eb4a6745e1e94cdc87e9c8184'],
    [1e-6, '130128d309b7b4cd329b9f60ee7464193fa8d28072e2caa8ad594015ada95ae5', '0fc85641022c0aefcf2c46d22ab0ffd1fb07ab3e3ba310e968e7eb1200b1b107'],
    [1e-9, '8df2b5f8c010e9eb846f083437b0ecc933e3ec20abc070623645eb416a9bf023', 'fa43239bcee7b97ca62f007cc68487560a39e19f74f3dde7486db3f98df8e471'],
    [2.5, '2890b74915868f917b329307f3101fdf397302585eeac0482f2788c446528f49', 'fbc36e187748aa8bcb3d828a7b86e1b1a3f6d322234b08a7b9eddbab1f3c2418'],
    // Within CheckedLog2's tolerance of 2^-12: the same bytes as 2^-12.
    [0.00024426647, '5e888504031254f717a2ed75fe553ee16fe6ca76be6e92ecb2173027b1338c09', 'e45a877eb31d4a7090291f88b9a42db1b1464270f80d04c2fd227c31f6ed031f'],
    // Just outside it (2^-12 · 1.002): the general path, 24625 with shift 13.
    [0.0002446289, '64444ff2e2c26fe3aead35093e616c28207cdff1088e73e0cd8252911eb13a5f', '798037ebdc177d4d2305df385bb02038dcb1a2da12e0749a82fb115a3678a9a0'],
  ];
  for (const [scale, logistic, tanh] of DIGESTS) {
    it(`every int16 input at s = ${scale}: logistic and tanh`, () => {
      expect(digest(outputs(activation('TFLiteLogistic', scale), ALL_INT16))).toBe(logistic);
      expect(digest(outputs(activation('TFLiteTanh', scale), ALL_INT16))).toBe(tanh);
    });
  }

  // The 3-D input of TFLM's softmax_test.cc (real values; quantized at s = 0.1 they are 10x).
  const TFLM_3D = [
    3, 6, -5, 4, -9, -10, -10, -8, 2, 2, 8, -5, -8, 5, -6, -8, 6, 1, -10, -8, 7, 6, -10, -4, -5, 2, 7, 9, -9, 7, -4, -2, 8, 2, 2, 3, 6, 6, 2, 4, 9, 7, -7, 0, 4, -3, 8, 8, -3, -4, -9,
    -9, 4, -8, -1, -10, -2, 6, -7, 0,
  ];
  const SOFTMAX_CASES: [string, UnaryCase, number[], number[]][] = [
    ["softmax_test.cc's 1-D vector, s = 0.1", softmax(0.1, 1, [1, 5]), [10, 20, 30, 40, 50], [382, 1039, 2822, 7671, 20853]],
    ["softmax_test.cc's 2-D vector", softmax(0.1, 1, [2, 5]), [10, 20, 30, 40, 50, -10, -20, -30, -40, -50], [382, 1039, 2822, 7671, 20853, 20853, 7671, 2822, 1039, 382]],
    [
      "softmax_test.cc's 3-D vector",
      softmax(0.1, 1, [3, 4, 5]),
      TFLM_3D.map((v) => v * 10),
      [
        1377, 27646, 2, 3742, 2, 1, 1, 1, 16383, 16383, 31207, 2, 2, 1555, 2, 2, 32543, 220, 2, 2, 23952, 8811, 1, 1, 1, 24, 3487, 25768, 2, 3487, 2, 2, 32603, 81, 81, 741, 14871, 14871, 272, 2013,
        28687, 3882, 2, 4, 194, 1, 16383, 16383, 1, 1, 2, 2, 32543, 2, 220, 2, 11, 32672, 2, 81,
      ],
    ],
    // s · beta / (10 / 65535) = 65535: shift 16, and TFLM's int32 x · 2^16 wraps: -65535 · 2^16 is 65536 mod 2^32,
    // so the row's minimum scales to a large positive value, saturates at the table's top and ties the maximum.
    ['the int32 wrap of a left shift of 16 (s = 1, beta 10)', softmax(1, 10, [3, 2]), [32767, -32768, 0, -1, 5, 4], [16384, 16384, 32766, 2, 32766, 2]],
    // s · beta / (10 / 65535) below 2^-32: QuantizeMultiplier flushes it to 0, every difference reads exp(0).
    ['a multiplier flushed to 0 (s = 1e-14)', softmax(1e-14, 1, [1, 3]), [32767, -32768, 0], [10922, 10922, 10922]],
    ['the hand-derived row', softmax(2 ** -12, 1, [1, 2]), [0, -4096], [23955, 8814]],
  ];
  for (const [name, c, input, want] of SOFTMAX_CASES) {
    it(`softmax: ${name}`, () => {
      expect(Array.from(outputs(c, input))).toEqual(want);
    });
  }
});

/** TFLM's FloatToQuantizedType: round half away from zero of the float32 quotient, + zp, saturated. */
function quantize(real: number, scale: number): number {
  const q = Math.fround(Math.fround(real) / Math.fround(scale));
  return Math.max(-32768, Math.min(32767, Math.sign(q) * Math.floor(Math.abs(q) + 0.5)));
}

describe("TFLM's int16 unit tests (logistic_test.cc, tanh_test.cc, softmax_test.cc): none is exact; their tolerances hold", () => {
  // 177 inputs from -20 to 20, input scale 32/65536, output 2/65536; the goldens are the real functions.
  const inputs = Array.from({ length: 177 }, (_, i) => -20 + (40 * i) / 176);
  const quantized = inputs.map((x) => quantize(x, 32 / 65536));

  it('LOGISTIC: within 16 steps of sigmoid', () => {
    const y = outputs(activation('TFLiteLogistic', 32 / 65536), quantized);
    const worst = Math.max(...inputs.map((x, i) => Math.abs(y[i]! - quantize(1 / (1 + Math.exp(-x)), 2 / 65536))));
    console.log(`TFLM's logistic int16 test: worst ${worst} steps (tolerance 16)`);
    expect(worst).toBeLessThanOrEqual(16);
  });

  it('TANH: within 16 steps of tanh', () => {
    const y = outputs(activation('TFLiteTanh', 32 / 65536), quantized);
    const worst = Math.max(...inputs.map((x, i) => Math.abs(y[i]! - quantize(Math.tanh(x), 2 / 65536))));
    console.log(`TFLM's tanh int16 test: worst ${worst} steps (tolerance 16)`);
    expect(worst).toBeLessThanOrEqual(16);
  });

  it('SOFTMAX: the 1-D and 2-D vectors within 1 step of the real softmax', () => {
    const rows = [
      [1, 2, 3, 4, 5],
      [-1, -2, -3, -4, -5],
    ];
    for (const row of rows) {
      const y = outputs(softmax(0.1, 1, [1, 5]), row.map((v) => v * 10));
      const sum = row.reduce((a, v) => a + Math.exp(v), 0);
      row.forEach((v, i) => expect(Math.abs(y[i]! - quantize(Math.exp(v) / sum, 1 / 32768))).toBeLessThanOrEqual(1));
    }
  });
});

/**
 * LUTPopulate<int16_t> in float32, step by step: each product, sum and quotient of floats rounded
 * to float32, TfLiteRound half away from zero, expf as the float32 rounding of exp.
 */
function lutPopulate(inputScale: number, inputZeroPoint: number, outputScale: number, transform: (x: number) => number): number[] {
  const f = Math.fround;
  const round = (x: number) => Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
  const inputMin = f(inputScale * (-32768 - inputZeroPoint));
  const inputMax = f(inputScale * (32767 - inputZeroPoint));
  const outputRange = f(f(outputScale * 32767) - f(outputScale * -32768));
  const step = f(f(inputMax - inputMin) / 512);
  const halfStep = f(step / 2);
  const inverse = f(65536 / outputRange);
  const lut: number[] = [];
  for (let i = 0; i < 512; i++) {
    const x = f(inputMin + f(i * step));
    const value = transform(x);
    const midpoint = transform(f(x + halfStep));
    const next = transform(f(inputMin + f((i + 1) * step)));
    const sample = round(f(value * inverse));
    const interpolated = round(f(f(f(next * inverse) + sample) / 2));
    const error = f(interpolated - round(f(midpoint * inverse)));
    lut.push(Math.min(32767, Math.max(-32768, f(sample - round(f(error / 2))))));
  }
  lut.push(Math.min(32767, Math.max(-32768, round(f(transform(inputMax) * inverse)))));
  return lut;
}

/** The initializer of `static const <type> <name>[...] = { ... };` in a kernel source. */
function cArray(file: string, name: string): number[] {
  const source = readFileSync(join(KERNELS_DIR, file), 'utf8');
  const match = new RegExp(`static const \\w+ ${name}\\[\\d+\\] = \\{([^}]*)\\}`).exec(source);
  expect(match, `${name} in ${file}`).not.toBeNull();
  return match![1]!.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
}

describe('the tables', () => {
  it("softmax: a float32 LUTPopulate rebuilds both 513-entry tables TFLM's code generated", () => {
    const f = Math.fround;
    expect(lutPopulate(f(10 / 65535), 32767, f(2 / 65535), (x) => f(Math.exp(x)))).toEqual(SOFTMAX_EXP_LUT);
    expect(lutPopulate(f(1 / 65535), -32768, f(2 / 65535), (x) => f(1 / f(1 + x)))).toEqual(SOFTMAX_ONE_OVER_ONE_PLUS_X_LUT);
    // Neighbours differ by far less than 2^15, so the kernels' int32 slope is TFLM's int16 one.
    for (const lut of [SOFTMAX_EXP_LUT, SOFTMAX_ONE_OVER_ONE_PLUS_X_LUT]) expect(Math.max(...lut.slice(1).map((v, i) => Math.abs(v - lut[i]!)))).toBeLessThan(1024);
  });

  it('the C copies equal the TypeScript ones', () => {
    expect(cArray('tg_tflite_softmax_s16.c', 'exp_lut')).toEqual(SOFTMAX_EXP_LUT);
    expect(cArray('tg_tflite_softmax_s16.c', 'one_over_one_plus_x_lut')).toEqual(SOFTMAX_ONE_OVER_ONE_PLUS_X_LUT);
    expect(cArray('tg_tflite_activation_s16.c', 'sigmoid_table')).toEqual(SIGMOID_TABLE_U16);
  });

  it('the sigmoid table: 256 rising entries, each within one of 65536 · sigmoid(i / 24), the last 65535', () => {
    expect(SIGMOID_TABLE_U16).toHaveLength(256);
    SIGMOID_TABLE_U16.forEach((v, i) => {
      expect(Math.abs(v - Math.min(65535, Math.round(65536 / (1 + Math.exp(-i / 24)))))).toBeLessThanOrEqual(1);
      if (i > 0) expect(v).toBeGreaterThanOrEqual(SIGMOID_TABLE_U16[i - 1]!);
    });
    expect(SIGMOID_TABLE_U16[0]).toBe(32768);
    expect(SIGMOID_TABLE_U16[255]).toBe(65535);
  });
});

describe('TFLiteLogistic / TFLiteTanh / TFLiteSoftmax int16 reject what TFLM rejects, in one line', () => {
  const rejected: [string, UnaryCase, RegExp][] = [
    ['LOGISTIC input zero point', { ...activation('TFLiteLogistic', 0.001), x: { scale: 0.001, zeroPoint: 3 } }, /zero points of 0 \(TFLM's kernel\), found 3 and 0/],
    ['TANH output zero point', { ...activation('TFLiteTanh', 0.001), y: { scale: 2 ** -15, zeroPoint: -1 } }, /zero points of 0/],
    ['LOGISTIC output scale 2^-14', { ...activation('TFLiteLogistic', 0.001), y: { scale: 2 ** -14, zeroPoint: 0 } }, /output scale must be 2\^-15 \(TFLM's int16 logistic\)/],
    ['TANH output scale 1/30000', { ...activation('TFLiteTanh', 0.001), y: { scale: 1 / 30000, zeroPoint: 0 } }, /output scale must be 2\^-15/],
    ['LOGISTIC input scale 3 (multiplier 36864 over 32767)', activation('TFLiteLogistic', 3), /input scale 3 is too large for TFLM's int16 logistic \(its multiplier 36864/],
    ['TANH input scale 1e-15 (multiplier truncated to 0)', activation('TFLiteTanh', 1e-15), /too small for TFLM's int16 tanh/],
    ['SOFTMAX zero point', { ...softmax(0.001, 1, [1, 4]), x: { scale: 0.001, zeroPoint: -5 } }, /zero points of 0/],
    ['SOFTMAX output scale 1/32768 · 1.002', { ...softmax(0.001, 1, [1, 4]), y: { scale: 1.002 / 32768, zeroPoint: 0 } }, /output scale must be 1\/32768 within 0.1%/],
    ['SOFTMAX output scale 1/256', { ...softmax(0.001, 1, [1, 4]), y: { scale: 1 / 256, zeroPoint: 0 } }, /output scale must be 1\/32768/],
    ['SOFTMAX beta · scale too large for a shift of 30', softmax(1e6, 1, [1, 4]), /too large for TFLM's int16 softmax/],
    ['SOFTMAX rows beyond the int32 sum', softmax(0.001, 1, [1, 65539]), /rows of 65539 elements could overflow TFLM's int32 sum of exps \(at most 65538\)/],
  ];
  for (const [name, c, message] of rejected) {
    it(name, () => {
      const graph = unaryGraph([c]);
      expect(() => compileGraph(graph)).toThrow(message);
      try {
        compileGraph(graph);
      } catch (e) {
        expect((e as Error).name).toBe('UserError');
        expect((e as Error).message).not.toContain('\n');
      }
    });
  }

  it('accepted at the edges: output scale 1/32767 (log2 within 1e-3), softmax output 1/32768 · 1.0009, multiplier 32767, rows of 65538', () => {
    expect(() => compileGraph(unaryGraph([{ ...activation('TFLiteLogistic', 0.001), y: { scale: 1 / 32767, zeroPoint: 0 } }]))).not.toThrow();
    expect(() => compileGraph(unaryGraph([{ ...softmax(0.001, 1, [1, 4]), y: { scale: 1.0009 / 32768, zeroPoint: 0 } }]))).not.toThrow();
    // 32767.5 / 12288: 32767 after truncation, the largest multiplier TFLM allows (shift 0).
    expect(paramsOf(activation('TFLiteTanh', 32767.5 / 12288))).toEqual({ dtype: 'int16', inputMultiplier: 32767, inputShift: 0 });
    expect(() => compileGraph(unaryGraph([softmax(0.001, 1, [1, 65538])]))).not.toThrow();
  });

  it("the softmax registry entry's paramsOf is the int8 form (the CMSIS-NN yardstick's); int16 nodes go through tfliteSoftmaxParamsOf", () => {
    const node = compileGraph(unaryGraph([softmax(0.001, 1, [1, 4])])).graph.nodes.find((n) => n.op === 'TFLiteSoftmax')!;
    expect(() => tfliteSoftmax.paramsOf(node)).toThrow(/int16 TFLiteSoftmax/);
  });
});

describe('from a .tflite file: int16 LOGISTIC, TANH and SOFTMAX import as the TFLite ops', () => {
  it('x → LOGISTIC → TANH, x → SOFTMAX (beta 0.5): the reference gives the hand-checked values', () => {
    const { INT16 } = TensorType;
    const int16 = (name: string, scale: number): TensorSpec => ({ name, type: INT16, shape: [1, 3], scale: [scale], zeroPoint: [0] });
    const path = join(mkdtempSync(join(tmpdir(), 'tinygen-act16-')), 'act16.tflite');
    writeFileSync(
      path,
      buildTflite({
        tensors: [int16('x', 2 ** -12), int16('sig', 2 ** -15), int16('th', 2 ** -15), int16('sm', 2 ** -15)],
        operators: [
          { code: BuiltinOperator.LOGISTIC, inputs: [0], outputs: [1] },
          { code: BuiltinOperator.TANH, inputs: [1], outputs: [2] },
          { code: BuiltinOperator.SOFTMAX, inputs: [0], outputs: [3], options: options('SoftmaxOptions', { beta: 0.5 }) },
        ],
        inputs: [0],
        outputs: [2, 3],
      }),
    );
    const compiled = compileModel({ modelPath: path });
    expect(compiled.graph.nodes.map((n) => n.op)).toEqual(['TFLiteLogistic', 'TFLiteTanh', 'TFLiteSoftmax']);
    const [tanh, sm] = runReference(compiled.graph, [{ dtype: 'int16', shape: [1, 3], data: Int16Array.from([100, -100, 0]) }]).outputs;
    // logistic: 16584, 16184, 16384 (derived above); tanh at s = 2^-15 (general path: 2^-15 · 12288 = 0.375,
    // doubled 16 times to 24576, shift 16): v = (x · 24576 + 2^15) >> 16 = 6219, 6069, 6144. 6219: index 24,
    // fraction 75: (47911 · 256 + 75 · 532 - 2^23 + 2^7) >> 8 = 15299 (real tanh(0.5061) · 32768 = 15299.5).
    // TFLM's own code gives 15299, 14984, 15143 here, and 11056, 10790, 10922 for the softmax.
    expect(Array.from(tanh!.data as Int16Array)).toEqual([15299, 14984, 15143]);
    expect(Array.from(sm!.data as Int16Array)).toEqual([11056, 10790, 10922]);
    expect(tanh!.dtype).toBe('int16');
  });
});

/** Rows for softmax: uniform over int16, close to the max (differences inside the exp table), equal, and the extremes. */
function softmaxRows(graph: Graph, random: () => number): Value[] {
  return graph.inputs.map((name) => {
    const t = graph.tensors.get(name)!;
    const length = t.shape[t.shape.length - 1]!;
    const data = new Int16Array(t.shape.reduce((a, b) => a * b, 1));
    for (let row = 0; row * length < data.length; row++) {
      const kind = row % 4;
      const top = Math.floor(random() * 65536) - 32768;
      const spread = [65536, 64, 4096, 0][kind]!;
      for (let c = 0; c < length; c++) {
        const i = row * length + c;
        const r = random();
        if (kind === 0) data[i] = c % 5 === 0 ? (r < 0.5 ? -32768 : 32767) : Math.floor(r * 65536) - 32768;
        else data[i] = Math.max(-32768, top - Math.floor(r * spread));
      }
    }
    return { dtype: 'int16', shape: [...t.shape], data };
  });
}

describe('int16 LOGISTIC, TANH and SOFTMAX kernels: the C equals the reference (host, ASan/UBSan)', () => {
  it('logistic and tanh on every int16 input at ten scales; softmax on random and edge rows', async () => {
    const scales = [2 ** -12, 2 ** -11, 0.001, 0.00030518509, 1e-6, 1e-9, 2.5, 32767.5 / 12288, 2 ** -15, 0.0002446289];
    const elementwise: UnaryCase[] = scales.flatMap((s) => [activation('TFLiteLogistic', s, [65536]), activation('TFLiteTanh', s, [65536])]);
    const softmaxes: UnaryCase[] = [
      softmax(0.001, 1, [64, 10]),
      softmax(0.1, 1, [16, 5]),
      softmax(10 / 32767, 1, [4, 300]),
      softmax(2 ** -12, 0.7, [2, 5, 7]),
      softmax(1, 10, [32, 3]),
      softmax(1e-6, 1, [16, 8]),
      softmax(1e-14, 1, [4, 4]),
      softmax(0.0003, 2, [8, 1]),
      softmax(0.002, 1, [1, 65538]),
    ];
    const compiled = compileGraph(unaryGraph([...elementwise, ...softmaxes]));
    const host = await buildHostModel(compiled);
    try {
      const random = seededRandom(1616);
      const all = compiled.graph.inputs.slice(0, elementwise.length).map((): Value => ({ dtype: 'int16', shape: [65536], data: ALL_INT16.slice() }));
      const records: Value[][] = [];
      for (let r = 0; r < 3; r++) {
        const rows = softmaxRows({ ...compiled.graph, inputs: compiled.graph.inputs.slice(elementwise.length) }, random);
        records.push([...all, ...rows]);
      }
      expect(await hostMismatches(compiled, host, records)).toBe(0);
    } finally {
      host.dispose();
    }
  }, 300_000);
});
