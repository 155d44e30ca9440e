/**
 * The gemmlowp fixed-point arithmetic (gemmlowp/fixedpoint/fixedpoint.h) that TFLM's int8
 * SOFTMAX, LOGISTIC and TANH reference kernels run, on raw int32 values, written from its
 * documented structure: exp_on_negative_values, one_over_one_plus_x_for_x_in_0_1,
 * one_minus_x_over_one_plus_x_for_x_in_0_1, logistic, tanh, and TFLM's GetReciprocal.
 * firmware/kernels/tg_fixed_point.h is the C twin.
 *
 * Formats are Qm.n with m integer bits: Q0.31 (probabilities, exp results), Q5.26 (softmax's
 * scaled input differences), Q4.27 (logistic and tanh inputs), Q12.19 (the sum of exps), Q2.29
 * (the Newton-Raphson reciprocal).
 */
import { roundingDivideByPowerOfTwo, saturatingRoundingDoublingHighMul } from '../../numerics/requantize.ts';

export const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

export const srdhm = saturatingRoundingDoublingHighMul;
export const rdbpot = roundingDivideByPowerOfTwo;

/** Plain int32 addition/subtraction, wrapping as the C does (gemmlowp never lets it overflow). */
const add = (a: number, b: number) => (a + b) | 0;
const sub = (a: number, b: number) => (a - b) | 0;

/** x * 2^exponent, saturating to the int32 range (gemmlowp's SaturatingRoundingMultiplyByPOT, exponent > 0). */
export function saturatingShiftLeft(x: number, exponent: number): number {
  const threshold = 2 ** (31 - exponent) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x * 2 ** exponent;
}

/** exp(a) for a Q0.31 a in [-1/4, 0): a Taylor expansion around -1/8. */
function expOnInterval(a: number): number {
  const expMinusOneEighth = 1895147668; // exp(-1/8) in Q0.31
  const oneThird = 715827883;
  const x = add(a, 1 << 28); // a + 1/8
  const x2 = srdhm(x, x);
  const x3 = srdhm(x2, x);
  const x4 = srdhm(x2, x2);
  const x4Over4 = rdbpot(x4, 2);
  const poly = rdbpot(add(srdhm(add(x4Over4, x3), oneThird), x2), 1); // x^4/24 + x^3/6 + x^2/2
  return add(expMinusOneEighth, srdhm(expMinusOneEighth, add(x, poly)));
}

/** exp(-2^k) in Q0.31 for k = -2 .. 4: the barrel shifter's factors. */
const BARREL: readonly (readonly [number, number])[] = [
  [-2, 1672461947],
  [-1, 1302514674],
  [0, 790015084],
  [1, 290630308],
  [2, 39332535],
  [3, 720401],
  [4, 242],
];

/** exp(a) in Q0.31 for a <= 0 with `integerBits` (1 .. 5) integer bits. */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const quarter = 1 << (fractionalBits - 2);
  const aModQuarterMinusQuarter = sub(a & (quarter - 1), quarter);
  let result = expOnInterval(saturatingShiftLeft(aModQuarterMinusQuarter, integerBits));
  const remainder = sub(aModQuarterMinusQuarter, a);
  // Only the factors for the bits the format has (gemmlowp skips exp(-2^k) for k >= integerBits).
  for (const [k, factor] of BARREL) {
    if (k < integerBits && remainder & (1 << (fractionalBits + k))) result = srdhm(result, factor);
  }
  return a === 0 ? INT32_MAX : result;
}

/** gemmlowp's RoundingHalfSum of int32 values: (a + b) / 2 rounded half away from zero. */
function roundingHalfSum(a: number, b: number): number {
  const sum = a + b;
  return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
}

const ONE_Q2_29 = 1 << 29;

/** 1 / ((1 + a) / 2) in Q2.29 for a Q0.31 a in [0, 1): Newton-Raphson from 48/17 - 32/17 d. */
function twoOverOnePlusX(a: number): number {
  const halfDenominator = roundingHalfSum(a, INT32_MAX);
  const c48Over17 = 1515870810; // Q2.29
  const cMinus32Over17 = -1010580540; // Q2.29
  let x = add(c48Over17, srdhm(halfDenominator, cMinus32Over17));
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = srdhm(halfDenominator, x);
    x = add(x, saturatingShiftLeft(srdhm(x, sub(ONE_Q2_29, halfDenominatorTimesX)), 2));
  }
  return x;
}

/** 1 / (1 + a) in Q0.31 for a Q0.31 a in [0, 1): the Q2.29 raw 2 / (1 + a) read as Q1.30 (halved), to Q0.31. */
export function oneOverOnePlusX(a: number): number {
  return saturatingShiftLeft(twoOverOnePlusX(a), 1);
}

/** (1 - a) / (1 + a) in Q0.31 for a Q0.31 a in [0, 1): the quotient minus one, Q2.29 to Q0.31. */
export function oneMinusXOverOnePlusX(a: number): number {
  return saturatingShiftLeft(sub(twoOverOnePlusX(a), ONE_Q2_29), 2);
}

/** gemmlowp's logistic: 1 / (1 + exp(-a)) in Q0.31 for any `a` with `integerBits` integer bits. */
export function logistic(a: number, integerBits: number): number {
  if (a === 0) return 1 << 30; // one half
  const ofPositive = oneOverOnePlusX(expOnNegativeValues(-Math.abs(a), integerBits));
  return a > 0 ? ofPositive : sub(INT32_MAX, ofPositive); // 1 - logistic(|a|), with 1 as INT32_MAX
}

/** gemmlowp's tanh: tanh(a) in Q0.31 for any `a`; exp(-2|a|) reads the raw value with one more integer bit. */
export function tanh(a: number, integerBits: number): number {
  if (a === 0) return 0;
  const ofMagnitude = oneMinusXOverOnePlusX(expOnNegativeValues(-Math.abs(a), integerBits + 1));
  return a < 0 ? -ofMagnitude : ofMagnitude;
}

/** TFLM's GetReciprocal: 1 / x for a Q(integerBits) x > 0, as a Q0.31 value and a power of two. */
export function reciprocal(x: number, integerBits: number): { value: number; bitsOverUnit: number } {
  const headroomPlusOne = Math.clz32(x);
  const shiftedMinusOne = ((x * 2 ** headroomPlusOne) % 2 ** 32) - 2 ** 31;
  return { value: oneOverOnePlusX(shiftedMinusOne), bitsOverUnit: integerBits - headroomPlusOne };
}
