/**
 * The requantization rule, both modes, written once for TypeScript. firmware/kernels/tg_requant.h
 * is its C twin; the two must agree bit for bit (test/numerics and the kernel tests check it).
 *
 * - 'onnx': ONNX Runtime's CPU rule. The multiplier is a float32 computed as
 *   fround(fround(s_in * s_w) / s_out); the int32 accumulator becomes float32, is multiplied in
 *   float32, rounded half to even, offset by the zero point and saturated.
 * - 'tflite': TFLM's integer-only double rounding. The multiplier, computed from the float32
 *   scales as TFLM's prepare code for the op computes it (TflmScaleProduct), becomes a Q31 value
 *   and a power-of-two shift once at compile time.
 */

import { UserError } from '../errors.ts';

export type RoundingMode = 'onnx' | 'tflite';
export const ROUNDING_MODES: readonly RoundingMode[] = ['onnx', 'tflite'];

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

const f32 = Math.fround;

/** Round half to even, for any finite double. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // ties go toward +infinity
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Round half away from zero, as C's round() and TfLiteRound. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** ONNX Runtime's output multiplier: fround(fround(inScale * weightScale) / outScale). */
export function onnxMultiplier(inScale: number, weightScale: number, outScale: number): number {
  return f32(f32(f32(inScale) * f32(weightScale)) / f32(outScale));
}

/** 'onnx' requantization of one accumulator. */
export function requantizeOnnx(acc: number, multiplier: number, zeroPoint: number, min: number, max: number): number {
  const scaled = f32(f32(acc) * multiplier);
  // Clamping before rounding (as the C does, to keep the magic-number rounding in range) gives the
  // same result as after: the bounds are integers and rounding is monotonic.
  const bounded = clamp(scaled, min - zeroPoint, max - zeroPoint);
  return roundHalfEven(bounded) + zeroPoint;
}

/** The C kernels shift a uint32 left by at most this much; larger multipliers are rejected. */
export const MAX_LEFT_SHIFT = 30;

export interface QuantizedMultiplier {
  /** Q31 fixed-point value in [2^30, 2^31), or 0. */
  multiplier: number;
  /** Power-of-two exponent: positive shifts left. */
  shift: number;
}

/** TFLite's QuantizeMultiplier: real = multiplier * 2^(shift - 31). */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (real === 0 || !Number.isFinite(real)) return { multiplier: 0, shift: 0 };
  // frexp: real = fraction * 2^exponent with fraction in [0.5, 1).
  let exponent = Math.floor(Math.log2(Math.abs(real))) + 1;
  let fraction = real / 2 ** exponent;
  if (Math.abs(fraction) >= 1) {
    fraction /= 2;
    exponent += 1;
  } else if (Math.abs(fraction) < 0.5) {
    fraction *= 2;
    exponent -= 1;
  }
  let q = roundHalfAway(fraction * 2 ** 31);
  if (q === 2 ** 31) {
    q /= 2;
    exponent += 1;
  }
  if (exponent < -31) return { multiplier: 0, shift: 0 };
  return { multiplier: q, shift: exponent };
}

/** gemmlowp's SaturatingRoundingDoublingHighMul. */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const product = BigInt(a) * BigInt(b);
  const nudge = product >= 0n ? 1n << 30n : 1n - (1n << 30n);
  // BigInt division truncates toward zero, as C's int64 division does.
  return Number((product + nudge) / (1n << 31n));
}

/** gemmlowp's RoundingDivideByPOT: x / 2^exponent, rounding half away from zero. */
export function roundingDivideByPowerOfTwo(x: number, exponent: number): number {
  if (exponent === 0) return x;
  const divisor = 2 ** exponent;
  const floor = Math.floor(x / divisor); // arithmetic shift right
  const remainder = x - floor * divisor; // x & mask
  const threshold = Math.floor((divisor - 1) / 2) + (x < 0 ? 1 : 0);
  return floor + (remainder > threshold ? 1 : 0);
}

/** x * 2^shift wrapped to int32, as TFLM's int32 shift-multiply does on these targets. */
function shiftLeftWrapped(x: number, shift: number): number {
  return shift === 0 ? x : Number(BigInt.asIntN(32, BigInt(x) << BigInt(shift)));
}

/** TFLite's MultiplyByQuantizedMultiplier with double rounding. */
export function multiplyByQuantizedMultiplier(acc: number, m: QuantizedMultiplier): number {
  const leftShift = m.shift > 0 ? m.shift : 0;
  const rightShift = m.shift > 0 ? 0 : -m.shift;
  return roundingDivideByPowerOfTwo(saturatingRoundingDoublingHighMul(shiftLeftWrapped(acc, leftShift), m.multiplier), rightShift);
}

/** 'tflite' requantization of one accumulator. */
export function requantizeTflite(acc: number, m: QuantizedMultiplier, zeroPoint: number, min: number, max: number): number {
  return clamp(multiplyByQuantizedMultiplier(acc, m) + zeroPoint, min, max);
}

/** A Q31 multiplier rounded half up to the 15 bits TFLite's int64 path multiplies by (at most 0x7FFF). */
export function reducedMultiplier(multiplier: number): number {
  return multiplier < 0x7fff0000 ? (multiplier + 2 ** 15) >> 16 : 0x7fff;
}

/**
 * TFLite's MultiplyByQuantizedMultiplier for an int64 accumulator (16x8 convolutions, fully
 * connected layers with int64 bias): the Q31 multiplier is first rounded half up to 15 bits
 * (capped at 0x7FFF), then x · m15 / 2^(15 - shift) is rounded once, half toward +inf, and
 * narrowed to int32 without saturation. Coarser than the int32 path, and TFLM's bytes depend on it.
 */
export function multiplyByQuantizedMultiplier64(acc: bigint, m: QuantizedMultiplier): number {
  const reduced = reducedMultiplier(m.multiplier);
  const totalShift = BigInt(15 - m.shift);
  return Number(BigInt.asIntN(32, (acc * BigInt(reduced) + (1n << (totalShift - 1n))) >> totalShift));
}

/** Per-output-channel requantization constants, in the form the chosen mode needs. */
export type Requant =
  | { mode: 'onnx'; multipliers: number[]; zeroPoint: number; min: number; max: number }
  | { mode: 'tflite'; multipliers: QuantizedMultiplier[]; zeroPoint: number; min: number; max: number };

/**
 * How tflite mode forms the product s_in * s_w[c] before dividing by s_out, as TFLM's prepare
 * code does for the op at hand (all scales are float32 values, widened to double):
 * - 'double': s_in * s_w[c] / s_out in double. TFLM's convolutions (per-tensor weights too:
 *   PopulateConvolutionQuantizationParams broadcasts the one scale) and per-channel
 *   FULLY_CONNECTED.
 * - 'float32': the product rounded to float32 first, then widened and divided in double,
 *   fround(s_in * s_w) / s_out. TFLM's per-tensor FULLY_CONNECTED and BATCH_MATMUL
 *   (GetQuantizedConvolutionMultipler). Used only with one weight scale.
 */
export type TflmScaleProduct = 'double' | 'float32';

/** TFLM's real multiplier for one channel under `product` (see TflmScaleProduct). */
export function tflmRealMultiplier(inScale: number, weightScale: number, outScale: number, product: TflmScaleProduct): number {
  return (product === 'float32' ? f32(inScale * weightScale) : inScale * weightScale) / outScale;
}

/**
 * Builds the constants for an op whose accumulator is at scale inScale * weightScales[c] and
 * whose output has scale outScale. One weight scale means per-tensor. `product` chooses how
 * tflite mode forms s_in * s_w (TflmScaleProduct); onnx mode ignores it.
 */
export function makeRequant(
  mode: RoundingMode,
  inScale: number,
  weightScales: readonly number[],
  outScale: number,
  zeroPoint: number,
  min = -128,
  max = 127,
  product: TflmScaleProduct = 'double',
): Requant {
  if (mode === 'onnx') {
    return { mode, multipliers: weightScales.map((ws) => onnxMultiplier(inScale, ws, outScale)), zeroPoint, min, max };
  }
  if (product === 'float32' && weightScales.length !== 1) throw new Error(`internal: a float32 scale product needs one weight scale, got ${weightScales.length}`);
  const reals = weightScales.map((ws) => tflmRealMultiplier(inScale, ws, outScale, product));
  const multipliers = reals.map(quantizeMultiplier);
  if (multipliers.some((m) => m.shift > MAX_LEFT_SHIFT)) {
    throw new UserError(`a requantization multiplier of ${Math.max(...reals)} is too large for tflite rounding (at most 2^${MAX_LEFT_SHIFT - 1}): check the scales`);
  }
  return { mode, multipliers, zeroPoint, min, max };
}

export function requantize(rq: Requant, channel: number, acc: number): number {
  const c = rq.multipliers.length === 1 ? 0 : channel;
  return rq.mode === 'onnx'
    ? requantizeOnnx(acc, rq.multipliers[c]!, rq.zeroPoint, rq.min, rq.max)
    : requantizeTflite(acc, rq.multipliers[c]!, rq.zeroPoint, rq.min, rq.max);
}
