/**
 * Unit tests of src/numerics/requantize.ts. Every expected value below is worked out by hand in the
 * comment beside it (exact binary arithmetic), never by calling the function under test.
 *
 * Notation: 2^k is a power of two; "f32(x)" is x rounded to the nearest float32 (ties to even);
 * in [2^j, 2^(j+1)) a float32 has spacing (ulp) 2^(j-23).
 */
import { describe, expect, it } from 'vitest';
import { INT32_MAX, INT32_MIN, clamp, makeRequant, multiplyByQuantizedMultiplier, onnxMultiplier, quantizeMultiplier, requantize, requantizeOnnx, requantizeTflite, roundHalfAway, roundHalfEven, roundingDivideByPowerOfTwo, saturatingRoundingDoublingHighMul } from '../../src/numerics/requantize.ts';

const P24 = 2 ** 24;
const P30 = 2 ** 30;

describe('roundHalfEven', () => {
  it('sends exact ties to the even neighbour', () => {
    expect(roundHalfEven(0.5)).toBe(0); // 0 and 1: 0 is even
    expect(roundHalfEven(1.5)).toBe(2); // 1 and 2: 2 is even
    expect(roundHalfEven(2.5)).toBe(2); // 2 and 3: 2 is even
    expect(roundHalfEven(3.5)).toBe(4); // 3 and 4: 4 is even
    expect(roundHalfEven(-1.5)).toBe(-2); // -2 and -1: -2 is even
    expect(roundHalfEven(-2.5)).toBe(-2); // -3 and -2: -2 is even
    expect(roundHalfEven(-3.5)).toBe(-4); // -4 and -3: -4 is even
    // -0.5: -1 and 0, 0 is even. IEEE gives -0 here (as C's rint); the sign of zero is irrelevant,
    // so normalise it with + 0 (-0 + 0 = +0) and check the magnitude.
    expect(roundHalfEven(-0.5) + 0).toBe(0);
  });

  it('rounds non-ties to the nearest integer', () => {
    expect(roundHalfEven(0.49999999999999994)).toBe(0); // largest double below 0.5
    expect(roundHalfEven(0.5000000000000001)).toBe(1); // smallest double above 0.5
    expect(roundHalfEven(2.4)).toBe(2);
    expect(roundHalfEven(2.6)).toBe(3);
    expect(roundHalfEven(-2.4)).toBe(-2);
    expect(roundHalfEven(-2.6)).toBe(-3);
    expect(roundHalfEven(-7)).toBe(-7);
    expect(roundHalfEven(0)).toBe(0);
  });

  it('handles ties on large magnitudes exactly', () => {
    // In [2^51, 2^52) doubles are spaced 0.5, so x.5 is exact.
    expect(roundHalfEven(2 ** 51 + 0.5)).toBe(2 ** 51); // 2^51 is even, 2^51 + 1 odd
    expect(roundHalfEven(2 ** 51 + 1.5)).toBe(2 ** 51 + 2); // 2^51 + 1 odd, 2^51 + 2 even
    expect(roundHalfEven(-(2 ** 51) - 0.5)).toBe(-(2 ** 51));
    expect(roundHalfEven(-(2 ** 51) - 1.5)).toBe(-(2 ** 51) - 2);
    // 2^52 - 0.5 = 4503599627370495.5: neighbours ...495 (odd) and 2^52 (even).
    expect(roundHalfEven(2 ** 52 - 0.5)).toBe(2 ** 52);
    expect(roundHalfEven(-(2 ** 52) + 0.5)).toBe(-(2 ** 52));
    // Integers beyond 2^53 have no fraction at all.
    expect(roundHalfEven(2 ** 53 + 2)).toBe(2 ** 53 + 2);
    // The edge of the C magic-number path: 2^22 - 0.5 = 4194303.5, neighbours 4194303 (odd), 2^22.
    expect(roundHalfEven(2 ** 22 - 0.5)).toBe(2 ** 22);
    expect(roundHalfEven(-(2 ** 22) + 0.5)).toBe(-(2 ** 22));
    expect(roundHalfEven(4194302.5)).toBe(4194302);
  });
});

describe('roundHalfAway and clamp', () => {
  it('sends ties away from zero', () => {
    expect(roundHalfAway(0.5)).toBe(1);
    expect(roundHalfAway(-0.5)).toBe(-1);
    expect(roundHalfAway(2.5)).toBe(3);
    expect(roundHalfAway(-2.5)).toBe(-3);
    expect(roundHalfAway(1.49)).toBe(1);
    expect(roundHalfAway(-1.51)).toBe(-2);
    expect(roundHalfAway(2147483647.5)).toBe(2147483648); // 2^31 - 0.5, as quantizeMultiplier meets it
  });

  it('clamps to inclusive bounds', () => {
    expect(clamp(-129, -128, 127)).toBe(-128);
    expect(clamp(128, -128, 127)).toBe(127);
    expect(clamp(127, -128, 127)).toBe(127);
    expect(clamp(-128, -128, 127)).toBe(-128);
    expect(clamp(5, -128, 127)).toBe(5);
  });
});

describe('onnxMultiplier (float32 at every step)', () => {
  it('is exact on power-of-two scales', () => {
    // 0.5 * 0.25 = 0.125; 0.125 / 0.125 = 1.
    expect(onnxMultiplier(0.5, 0.25, 0.125)).toBe(1);
    // 0.5 * 0.5 = 0.25; 0.25 / 0.125 = 2.
    expect(onnxMultiplier(0.5, 0.5, 0.125)).toBe(2);
  });

  it('rounds the inputs to float32 first', () => {
    // f32(1 + 2^-30) = 1 (float32 spacing at 1 is 2^-23), so the result is 1 * 1 / 1 = 1,
    // where a double computation would keep 1 + 2^-30.
    expect(onnxMultiplier(1 + 2 ** -30, 1, 1)).toBe(1);
  });

  it('rounds the product to float32 before dividing (differs from a double computation)', () => {
    // a = 4097 * 2^-19, b = 4097 * 2^-22, c = 3 * 2^-8 (all exact float32).
    // a * b = 4097^2 * 2^-41 = 16785409 * 2^-41, and 16785409 = 2^24 + 2^13 + 1.
    // 16785409 needs 25 bits: float32 keeps 24, spacing 2 there. It lies halfway between
    // 16785408 (mantissa 8392704, even) and 16785410 (mantissa 8392705, odd): tie to even,
    // so f32(a * b) = 16785408 * 2^-41.
    // 16785408 / 3 = 5595136 exactly, so the float32 rule gives 5595136 * 2^-41 / 2^-8 = 5595136 * 2^-33.
    // In double: 16785409 / 3 = 5595136.333..., and f32 of that (spacing 0.5 below 2^23) is
    // 5595136.5, since .333 is nearer .5 than .0: a double computation gives 5595136.5 * 2^-33.
    const a = 4097 * 2 ** -19;
    const b = 4097 * 2 ** -22;
    const c = 3 * 2 ** -8;
    expect(onnxMultiplier(a, b, c)).toBe(5595136 * 2 ** -33);
    expect(onnxMultiplier(a, b, c)).not.toBe(5595136.5 * 2 ** -33);
  });
});

describe('requantizeOnnx', () => {
  it('scales, rounds and offsets', () => {
    expect(requantizeOnnx(100, 0.25, 0, -128, 127)).toBe(25); // 100 / 4 = 25
    expect(requantizeOnnx(-100, 0.25, 0, -128, 127)).toBe(-25);
    expect(requantizeOnnx(-7, 0.25, 0, -128, 127)).toBe(-2); // -1.75 -> -2
    expect(requantizeOnnx(-5, 0.25, 0, -128, 127)).toBe(-1); // -1.25 -> -1
    expect(requantizeOnnx(-6, 0.25, 0, -128, 127)).toBe(-2); // -1.5 tie -> -2 (even)
    expect(requantizeOnnx(0, 0.25, 0, -128, 127)).toBe(0);
  });

  it('sends exact float32 ties to even, for both signs', () => {
    // multiplier 0.5: acc * 0.5 is exact in float32, so odd accumulators give exact .5 ties.
    expect(requantizeOnnx(3, 0.5, 0, -128, 127)).toBe(2); // 1.5 -> 2
    expect(requantizeOnnx(5, 0.5, 0, -128, 127)).toBe(2); // 2.5 -> 2
    expect(requantizeOnnx(7, 0.5, 0, -128, 127)).toBe(4); // 3.5 -> 4
    expect(requantizeOnnx(1, 0.5, 0, -128, 127)).toBe(0); // 0.5 -> 0
    expect(requantizeOnnx(-1, 0.5, 0, -128, 127)).toBe(0); // -0.5 -> -0, + 0 -> +0
    expect(requantizeOnnx(-3, 0.5, 0, -128, 127)).toBe(-2); // -1.5 -> -2
    expect(requantizeOnnx(-5, 0.5, 0, -128, 127)).toBe(-2); // -2.5 -> -2
    expect(requantizeOnnx(-7, 0.5, 0, -128, 127)).toBe(-4); // -3.5 -> -4
    // multiplier 2^-3: 12 / 8 = 1.5 -> 2, 20 / 8 = 2.5 -> 2, -20 / 8 = -2.5 -> -2.
    expect(requantizeOnnx(12, 0.125, 0, -128, 127)).toBe(2);
    expect(requantizeOnnx(20, 0.125, 0, -128, 127)).toBe(2);
    expect(requantizeOnnx(-20, 0.125, 0, -128, 127)).toBe(-2);
    // 253 * 0.5 = 126.5 -> 126 (even); 255 * 0.5 = 127.5 -> 128 -> saturates to 127.
    expect(requantizeOnnx(253, 0.5, 0, -128, 127)).toBe(126);
    expect(requantizeOnnx(255, 0.5, 0, -128, 127)).toBe(127);
  });

  it('rounds the product to float32 before rounding to an integer (tie made by the multiply)', () => {
    // m = f32(1/6): 1/6 lies in [2^-3, 2^-2), float32 spacing 2^-26 there; 2^26 / 6 = 11184810.67
    // rounds to 11184811, so m = 11184811 * 2^-26.
    // 15 * m = 167772165 * 2^-26 = (2.5 * 2^26 + 5) * 2^-26 = 2.5 + 5 * 2^-26 exactly (in double).
    // In [2, 4) float32 spacing is 2^-22 = 16 * 2^-26; 5 < 8 (half a spacing), so the float32
    // product is exactly 2.5, a tie, which goes to 2. A double multiply would give 2.5000000745 -> 3.
    const m = Math.fround(1 / 6);
    expect(m).toBe(11184811 * 2 ** -26);
    expect(requantizeOnnx(15, m, 0, -128, 127)).toBe(2);
    expect(requantizeOnnx(-15, m, 0, -128, 127)).toBe(-2); // symmetric: -2.5 -> -2 (double: -3)
  });

  it('saturates at both ends', () => {
    expect(requantizeOnnx(1000, 0.5, 0, -128, 127)).toBe(127); // 500 -> 127
    expect(requantizeOnnx(-1000, 0.5, 0, -128, 127)).toBe(-128); // -500 -> -128
    expect(requantizeOnnx(INT32_MAX, 1, 0, -128, 127)).toBe(127);
    expect(requantizeOnnx(INT32_MIN, 1, 0, -128, 127)).toBe(-128);
    expect(requantizeOnnx(254, 0.5, 0, -128, 127)).toBe(127); // 127 exactly: not clipped
    expect(requantizeOnnx(-256, 0.5, 0, -128, 127)).toBe(-128); // -128 exactly
    expect(requantizeOnnx(-258, 0.5, 0, -128, 127)).toBe(-128); // -129 -> -128
    // A ReLU-fused range [zp, 127]: negatives clip to the zero point.
    expect(requantizeOnnx(-40, 0.25, -20, -20, 127)).toBe(-20); // -10 + -20 = -30 -> -20
    expect(requantizeOnnx(40, 0.25, -20, -20, 127)).toBe(-10); // 10 + -20 = -10
  });

  it('adds a non-zero zero point after rounding, then saturates', () => {
    expect(requantizeOnnx(100, 0.25, -3, -128, 127)).toBe(22); // 25 - 3
    expect(requantizeOnnx(-100, 0.25, 5, -128, 127)).toBe(-20); // -25 + 5
    // 5 * 0.5 = 2.5 -> 2 (even), then + 1 = 3. Rounding after adding the zero point would give
    // round(3.5) = 4: the order matters.
    expect(requantizeOnnx(5, 0.5, 1, -128, 127)).toBe(3);
    expect(requantizeOnnx(-5, 0.5, -1, -128, 127)).toBe(-3); // -2.5 -> -2, - 1
    expect(requantizeOnnx(480, 0.25, 10, -128, 127)).toBe(127); // 120 + 10 = 130 -> 127
    expect(requantizeOnnx(468, 0.25, 10, -128, 127)).toBe(127); // 117 + 10 = 127 exactly
    expect(requantizeOnnx(464, 0.25, 10, -128, 127)).toBe(126); // 116 + 10
    expect(requantizeOnnx(-480, 0.25, -10, -128, 127)).toBe(-128); // -120 - 10 = -130 -> -128
    expect(requantizeOnnx(-472, 0.25, -10, -128, 127)).toBe(-128); // -118 - 10 = -128 exactly
    expect(requantizeOnnx(-468, 0.25, -10, -128, 127)).toBe(-127); // -117 - 10
    // Zero point -128 with a range [-128, 127]: the usable scaled range is [0, 255].
    expect(requantizeOnnx(509, 0.5, -128, -128, 127)).toBe(126); // 254.5 -> 254 (even), - 128
    expect(requantizeOnnx(-1, 0.5, -128, -128, 127)).toBe(-128); // -0.5 -> 0, - 128
  });

  it('rounds the int32 accumulator to float32 above 2^24', () => {
    // 2^24 + 1 lies halfway between 2^24 (even mantissa) and 2^24 + 2 (odd): f32 gives 2^24.
    // * 2^-25: 2^24 * 2^-25 = 0.5, a tie -> 0. Exact arithmetic: 0.5 + 2^-25 -> 1.
    expect(requantizeOnnx(P24 + 1, 2 ** -25, 0, -128, 127)).toBe(0);
    expect(requantizeOnnx(-(P24 + 1), 2 ** -25, 0, -128, 127)).toBe(0); // -0.5 -> 0 (exact: -1)
    // * 5 * 2^-25: 2^24 * 5 * 2^-25 = 2.5 -> 2. Exact: 2.5 + 5 * 2^-25 -> 3.
    expect(requantizeOnnx(P24 + 1, 5 * 2 ** -25, 0, -128, 127)).toBe(2);
    expect(requantizeOnnx(-(P24 + 1), 5 * 2 ** -25, 0, -128, 127)).toBe(-2);
    // 2^25 + 2 is halfway between 2^25 and 2^25 + 4 (spacing 4): f32 gives 2^25 (even mantissa).
    // * 2^-26 = 0.5 -> 0 (exact: 0.5 + 2^-25 -> 1).
    expect(requantizeOnnx(2 ** 25 + 2, 2 ** -26, 0, -128, 127)).toBe(0);
    // 2^24 + 3 is halfway between 2^24 + 2 (mantissa 2^23 + 1, odd) and 2^24 + 4 (even): f32 rounds
    // up to 2^24 + 4. With a wide range (TypeScript only: the C rounding covers |x| < 2^22),
    // (2^24 + 4) * 0.375 = 6291457.5 (exact in float32: spacing 0.5 in [2^22, 2^23)) -> 6291458 (even).
    // Exact arithmetic: (2^24 + 3) * 0.375 = 6291457.125 -> 6291457.
    expect(requantizeOnnx(P24 + 3, 0.375, 0, INT32_MIN, INT32_MAX)).toBe(6291458);
    // INT32_MAX becomes 2^31 in float32: 2^31 * 2^-32 = 0.5 -> 0; INT32_MIN * 2^-32 = -0.5 -> 0.
    expect(requantizeOnnx(INT32_MAX, 2 ** -32, 0, -128, 127)).toBe(0);
    expect(requantizeOnnx(INT32_MIN, 2 ** -32, 0, -128, 127)).toBe(0);
    // 2^31 * 3 * 2^-32 = 1.5 -> 2; -2^31 * 3 * 2^-32 = -1.5 -> -2.
    expect(requantizeOnnx(INT32_MAX, 3 * 2 ** -32, 0, -128, 127)).toBe(2);
    expect(requantizeOnnx(INT32_MIN, 3 * 2 ** -32, 0, -128, 127)).toBe(-2);
  });

  it('multiplies in float32, not double, on a wide range', () => {
    // m = f32(1 - 2^-24) = 1 - 2^-24 (spacing 2^-24 in [0.5, 1)). acc = 2^22 + 1.
    // Exact product: 2^22 + 1 - (2^22 + 1) * 2^-24 = 4194305 - 0.25000006 = 4194304.74999994.
    // Float32 spacing in [2^22, 2^23) is 0.5: neighbours 4194304.5 (0.24999994 away) and 4194305
    // (0.25000006 away), so f32 gives 4194304.5, a tie -> 4194304 (even). Double: -> 4194305.
    expect(requantizeOnnx(P24 / 4 + 1, 1 - 2 ** -24, 0, INT32_MIN, INT32_MAX)).toBe(4194304);
  });
});

describe('quantizeMultiplier', () => {
  it('encodes powers of two', () => {
    // real = q * 2^(shift - 31) with q in [2^30, 2^31).
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: P30, shift: 0 }); // 2^30 * 2^-31
    expect(quantizeMultiplier(0.25)).toEqual({ multiplier: P30, shift: -1 }); // 2^30 * 2^-32
    expect(quantizeMultiplier(1.0)).toEqual({ multiplier: P30, shift: 1 }); // 2^30 * 2^-30
    expect(quantizeMultiplier(4.0)).toEqual({ multiplier: P30, shift: 3 });
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
  });

  it('encodes other fractions', () => {
    // 0.75 = 0.75 * 2^0: q = 0.75 * 2^31 = 1610612736, shift 0.
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 1610612736, shift: 0 });
    // 0.375 = 0.75 * 2^-1.
    expect(quantizeMultiplier(0.375)).toEqual({ multiplier: 1610612736, shift: -1 });
    // 3 = 0.75 * 2^2.
    expect(quantizeMultiplier(3)).toEqual({ multiplier: 1610612736, shift: 2 });
    // 0.75 + 2^-32: q = 1610612736 + 2^-1, a tie, rounded away from zero -> 1610612737
    // (half-to-even would give 1610612736).
    expect(quantizeMultiplier(0.75 + 2 ** -32)).toEqual({ multiplier: 1610612737, shift: 0 });
    // 0.75 + 2^-33: q = 1610612736.25 -> 1610612736.
    expect(quantizeMultiplier(0.75 + 2 ** -33)).toEqual({ multiplier: 1610612736, shift: 0 });
    // 0.75 - 2^-32: 1610612735.5 -> away from zero -> 1610612736.
    expect(quantizeMultiplier(0.75 - 2 ** -32)).toEqual({ multiplier: 1610612736, shift: 0 });
  });

  it('carries to 2^31 just below a power of two, halving the multiplier and raising the shift', () => {
    // 1 - 2^-33: fraction 1 - 2^-33, exponent 0; q = 2^31 - 0.25 -> 2^31 -> 2^30, shift 1.
    expect(quantizeMultiplier(1 - 2 ** -33)).toEqual({ multiplier: P30, shift: 1 });
    // 1 - 2^-32: q = 2^31 - 0.5, a tie, away from zero -> 2^31 -> 2^30, shift 1.
    expect(quantizeMultiplier(1 - 2 ** -32)).toEqual({ multiplier: P30, shift: 1 });
    // 0.5 - 2^-34 = (1 - 2^-33) * 2^-1: same carry, shift -1 + 1 = 0.
    expect(quantizeMultiplier(0.5 - 2 ** -34)).toEqual({ multiplier: P30, shift: 0 });
    // 2 - 2^-32 = (1 - 2^-33) * 2^1: carry, shift 2.
    expect(quantizeMultiplier(2 - 2 ** -32)).toEqual({ multiplier: P30, shift: 2 });
    // 1 - 2^-31: q = 2^31 - 1 exactly, no carry: the largest Q31 multiplier, shift 0.
    expect(quantizeMultiplier(1 - 2 ** -31)).toEqual({ multiplier: INT32_MAX, shift: 0 });
    // 1 - 1.5 * 2^-31 (exact double): q = 2^31 - 1.5 = 2147483646.5, a tie, away from zero ->
    // 2147483647 (half-to-even would give 2147483646).
    expect(quantizeMultiplier(1 - 1.5 * 2 ** -31)).toEqual({ multiplier: INT32_MAX, shift: 0 });
  });

  it('flushes multipliers whose shift falls below -31 to zero', () => {
    // 2^-32 = 0.5 * 2^-31: q = 2^30, shift -31 (the last one kept).
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: P30, shift: -31 });
    // 2^-33 = 0.5 * 2^-32: shift -32 < -31 -> zero.
    expect(quantizeMultiplier(2 ** -33)).toEqual({ multiplier: 0, shift: 0 });
    // 1e-10 ~ 0.859 * 2^-33: shift -33 -> zero.
    expect(quantizeMultiplier(1e-10)).toEqual({ multiplier: 0, shift: 0 });
    // 2^-32 * (1 - 2^-40) = (1 - 2^-40) * 2^-32: q = 2^31 - 2^-9 -> 2^31, carry: shift -32 + 1 = -31,
    // so the carry rescues it from the flush.
    expect(quantizeMultiplier(2 ** -32 * (1 - 2 ** -40))).toEqual({ multiplier: P30, shift: -31 });
    // 0.75 * 2^-31 = 1.5 * 2^-32: fraction 0.75, exponent -31: q = 1610612736, shift -31.
    expect(quantizeMultiplier(0.75 * 2 ** -31)).toEqual({ multiplier: 1610612736, shift: -31 });
    // Subnormal input: 2^-1074 -> shift far below -31 -> zero.
    expect(quantizeMultiplier(2 ** -1074)).toEqual({ multiplier: 0, shift: 0 });
  });

  it('encodes realistic scales', () => {
    // 0.1 (double) = 0.8 * 2^-3. 0.8 * 2^31 = 1717986918.4 -> 1717986918. The double 0.1 is
    // 0.1000000000000000055511151231257827, so q = 1717986918.40000009... -> 1717986918.
    expect(quantizeMultiplier(0.1)).toEqual({ multiplier: 1717986918, shift: -3 });
    // 0.3 = 0.6 * 2^-1: 0.6 * 2^31 = 1288490188.8 -> 1288490189.
    expect(quantizeMultiplier(0.3)).toEqual({ multiplier: 1288490189, shift: -1 });
  });
});

describe('saturatingRoundingDoublingHighMul', () => {
  it('saturates the single overflowing case', () => {
    // (-2^31) * (-2^31) * 2 / 2^32 = 2^31, which does not fit: INT32_MAX.
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
  });

  it('computes round(a * b / 2^31) at the extremes', () => {
    // INT32_MIN * INT32_MAX = -2^62 + 2^31; nudge 1 - 2^30 gives -2^62 + 2^30 + 1;
    // / 2^31 = -2^31 + 0.50000000047, truncated toward zero -> -2147483647.
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MAX)).toBe(-2147483647);
    // INT32_MAX^2 = 2^62 - 2^32 + 1; + 2^30 = 2^62 - 2^32 + 2^30 + 1; / 2^31 = 2^31 - 2 + 0.50000000047
    // -> 2147483646.
    expect(saturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX)).toBe(2147483646);
    // INT32_MIN * 2^30 = -2^61; exact / 2^31 = -2^30; the nudge (1 - 2^30) / 2^31 is < 1 -> -2^30.
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, P30)).toBe(-P30);
    // INT32_MAX * 2^30 / 2^31 = 1073741823.5; + 2^30 nudge -> 2^61 / 2^31 = 2^30.
    expect(saturatingRoundingDoublingHighMul(INT32_MAX, P30)).toBe(P30);
    // INT32_MIN * 1 / 2^31 = -1 exactly.
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, 1)).toBe(-1);
    expect(saturatingRoundingDoublingHighMul(0, INT32_MIN)).toBe(0);
  });

  it('rounds ties upward: positive ties away from zero, negative ties toward zero', () => {
    // b = 2^30 halves a. 1 * 2^30 + 2^30 = 2^31 -> 1 (0.5 -> 1).
    expect(saturatingRoundingDoublingHighMul(1, P30)).toBe(1);
    // 3 / 2 = 1.5: 3 * 2^30 + 2^30 = 2^32 -> 2.
    expect(saturatingRoundingDoublingHighMul(3, P30)).toBe(2);
    // -1 / 2 = -0.5: -2^30 + 1 - 2^30 = -2^31 + 1; / 2^31 = -0.99999999953, truncated -> 0.
    expect(saturatingRoundingDoublingHighMul(-1, P30)).toBe(0);
    // -3 / 2 = -1.5: -3 * 2^30 + 1 - 2^30 = -2^32 + 1; / 2^31 = -1.99999999953 -> -1.
    expect(saturatingRoundingDoublingHighMul(-3, P30)).toBe(-1);
    // -3 / 4 = -0.75: -3 * 2^29 + 1 - 2^30 = -5 * 2^29 + 1; / 2^31 = -1.2499999995 -> -1.
    expect(saturatingRoundingDoublingHighMul(-3, 2 ** 29)).toBe(-1);
    // -1 / 4 = -0.25: -2^29 + 1 - 2^30 = -3 * 2^29 + 1; / 2^31 = -0.7499999995 -> 0.
    expect(saturatingRoundingDoublingHighMul(-1, 2 ** 29)).toBe(0);
    // -5 / 4 = -1.25: -5 * 2^29 + 1 - 2^30 = -7 * 2^29 + 1 -> -1.7499999995 -> -1.
    expect(saturatingRoundingDoublingHighMul(-5, 2 ** 29)).toBe(-1);
    // A negative multiplier: 5 * -2^30 / 2^31 = -2.5 -> -2 (tie toward +infinity).
    expect(saturatingRoundingDoublingHighMul(5, -P30)).toBe(-2);
  });
});

describe('roundingDivideByPowerOfTwo', () => {
  it('rounds ties away from zero', () => {
    expect(roundingDivideByPowerOfTwo(5, 1)).toBe(3); // 2.5 -> 3
    expect(roundingDivideByPowerOfTwo(-5, 1)).toBe(-3); // -2.5 -> -3
    expect(roundingDivideByPowerOfTwo(3, 1)).toBe(2); // 1.5 -> 2
    expect(roundingDivideByPowerOfTwo(-3, 1)).toBe(-2); // -1.5 -> -2
    expect(roundingDivideByPowerOfTwo(-1, 1)).toBe(-1); // -0.5 -> -1
    expect(roundingDivideByPowerOfTwo(-6, 2)).toBe(-2); // -1.5 -> -2
    expect(roundingDivideByPowerOfTwo(6, 2)).toBe(2); // 1.5 -> 2
  });

  it('rounds non-ties to nearest', () => {
    expect(roundingDivideByPowerOfTwo(-4, 1)).toBe(-2); // exact
    expect(roundingDivideByPowerOfTwo(-7, 2)).toBe(-2); // -1.75 -> -2
    expect(roundingDivideByPowerOfTwo(-5, 2)).toBe(-1); // -1.25 -> -1
    expect(roundingDivideByPowerOfTwo(5, 2)).toBe(1); // 1.25 -> 1
    expect(roundingDivideByPowerOfTwo(7, 2)).toBe(2); // 1.75 -> 2
  });

  it('is the identity at exponent 0', () => {
    expect(roundingDivideByPowerOfTwo(-5, 0)).toBe(-5);
    expect(roundingDivideByPowerOfTwo(INT32_MIN, 0)).toBe(INT32_MIN);
    expect(roundingDivideByPowerOfTwo(INT32_MAX, 0)).toBe(INT32_MAX);
  });

  it('handles exponent 31', () => {
    expect(roundingDivideByPowerOfTwo(INT32_MIN, 31)).toBe(-1); // -2^31 / 2^31 = -1 exactly
    expect(roundingDivideByPowerOfTwo(INT32_MAX, 31)).toBe(1); // 0.99999999953 -> 1
    expect(roundingDivideByPowerOfTwo(P30, 31)).toBe(1); // 0.5 -> 1
    expect(roundingDivideByPowerOfTwo(-P30, 31)).toBe(-1); // -0.5 -> -1
    expect(roundingDivideByPowerOfTwo(P30 - 1, 31)).toBe(0); // 0.49999999953 -> 0
    expect(roundingDivideByPowerOfTwo(-P30 + 1, 31) + 0).toBe(0); // -0.49999999953 -> 0
    expect(roundingDivideByPowerOfTwo(-P30 - 1, 31)).toBe(-1); // -0.50000000047 -> -1
  });
});

describe('multiplyByQuantizedMultiplier', () => {
  it('applies a left shift before the high multiply', () => {
    // {2^30, shift 2} is 2^30 * 2^(2 - 31) = 2. 3 << 2 = 12; 12 * 2^30 / 2^31 = 6.
    expect(multiplyByQuantizedMultiplier(3, { multiplier: P30, shift: 2 })).toBe(6);
    // {0.75 * 2^31, shift 1} is 1.5. -5 << 1 = -10; -10 * 0.75 = -7.5: the high multiply's tie goes
    // up to -7 (its nudge), and there is no right shift.
    expect(multiplyByQuantizedMultiplier(-5, { multiplier: 1610612736, shift: 1 })).toBe(-7);
    // The left shift wraps in int32: (2^29 + 1) << 2 = 2^31 + 4 -> -2^31 + 4 = -2147483644;
    // * 2^30 / 2^31 = -1073741822 exactly.
    expect(multiplyByQuantizedMultiplier(2 ** 29 + 1, { multiplier: P30, shift: 2 })).toBe(-1073741822);
  });

  it('double-rounds with the extreme right shift 31', () => {
    // {2^30, -31} is 2^-32. INT32_MAX: high multiply gives 2^30 (1073741823.5 rounded up), then
    // 2^30 / 2^31 = 0.5 rounds away -> 1, although INT32_MAX * 2^-32 = 0.49999999977 -> 0 in one step.
    expect(multiplyByQuantizedMultiplier(INT32_MAX, { multiplier: P30, shift: -31 })).toBe(1);
    // INT32_MIN: -2^30 exactly, then -0.5 -> -1.
    expect(multiplyByQuantizedMultiplier(INT32_MIN, { multiplier: P30, shift: -31 })).toBe(-1);
    // 2^30 - 1: high multiply 536870911.5 -> 536870912 = 2^29; / 2^31 = 0.25 -> 0.
    expect(multiplyByQuantizedMultiplier(P30 - 1, { multiplier: P30, shift: -31 })).toBe(0);
  });

  it('double-rounds a negative tie at a moderate right shift', () => {
    // {2^30, -2} is 2^-3. acc = -12: high multiply -6 exactly; -6 / 4 = -1.5 -> -2 (away).
    expect(multiplyByQuantizedMultiplier(-12, { multiplier: P30, shift: -2 })).toBe(-2);
    // acc = -13: high multiply -6.5 -> -6 (tie up); -6 / 4 = -1.5 -> -2. One rounding of
    // -13/8 = -1.625 would give -2 too.
    expect(multiplyByQuantizedMultiplier(-13, { multiplier: P30, shift: -2 })).toBe(-2);
    // acc = 11: 5.5 -> 6, 6 / 4 = 1.5 -> 2, while 11 / 8 = 1.375 rounds to 1 in one step.
    expect(multiplyByQuantizedMultiplier(11, { multiplier: P30, shift: -2 })).toBe(2);
  });
});

describe('requantizeTflite', () => {
  const half = { multiplier: P30, shift: 0 }; // 0.5

  it('saturates the extreme accumulators', () => {
    // INT32_MAX * 0.5 -> 2^30 -> 127; INT32_MIN * 0.5 = -2^30 -> -128.
    expect(requantizeTflite(INT32_MAX, half, 0, -128, 127)).toBe(127);
    expect(requantizeTflite(INT32_MIN, half, 0, -128, 127)).toBe(-128);
    expect(requantizeTflite(INT32_MAX, half, -128, -128, 127)).toBe(127);
    expect(requantizeTflite(INT32_MIN, half, 127, -128, 127)).toBe(-128);
    // The largest multiplier (1 - 2^-31): 2147483646 and -2147483647 (see the high multiply tests).
    expect(requantizeTflite(INT32_MAX, { multiplier: INT32_MAX, shift: 0 }, 0, -128, 127)).toBe(127);
    expect(requantizeTflite(INT32_MIN, { multiplier: INT32_MAX, shift: 0 }, 0, -128, 127)).toBe(-128);
    // The smallest kept multiplier 2^-32: 1 and -1 (see above), plus the zero point.
    expect(requantizeTflite(INT32_MAX, { multiplier: P30, shift: -31 }, 5, -128, 127)).toBe(6);
    expect(requantizeTflite(INT32_MIN, { multiplier: P30, shift: -31 }, 5, -128, 127)).toBe(4);
    // A flushed multiplier gives the zero point for every accumulator.
    expect(requantizeTflite(INT32_MAX, { multiplier: 0, shift: 0 }, -7, -128, 127)).toBe(-7);
    expect(requantizeTflite(INT32_MIN, { multiplier: 0, shift: 0 }, -7, -128, 127)).toBe(-7);
  });

  it('adds the zero point and clamps', () => {
    // 0.25 = {2^30, -1}. 101 * 0.25: high multiply 50.5 -> 51, / 2 = 25.5 -> 26, + 3 = 29.
    expect(requantizeTflite(101, { multiplier: P30, shift: -1 }, 3, -128, 127)).toBe(29);
    // -101: -50.5 -> -50, -50 / 2 = -25, - 3 = -28.
    expect(requantizeTflite(-101, { multiplier: P30, shift: -1 }, -3, -128, 127)).toBe(-28);
    expect(requantizeTflite(300, half, 0, -128, 127)).toBe(127); // 150 -> 127
    expect(requantizeTflite(-300, half, 0, -128, 127)).toBe(-128); // -150 -> -128
    expect(requantizeTflite(-300, half, 0, 0, 127)).toBe(0); // ReLU range
  });
});

describe('makeRequant and requantize', () => {
  it('builds float32 multipliers per channel in onnx mode', () => {
    // 0.5 * 0.25 / 0.125 = 1 and 0.5 * 0.5 / 0.125 = 2.
    const rq = makeRequant('onnx', 0.5, [0.25, 0.5], 0.125, 3);
    expect(rq).toEqual({ mode: 'onnx', multipliers: [1, 2], zeroPoint: 3, min: -128, max: 127 });
    expect(requantize(rq, 0, 10)).toBe(13); // 10 * 1 + 3
    expect(requantize(rq, 1, 10)).toBe(23); // 10 * 2 + 3
    expect(requantize(rq, 1, -100)).toBe(-128); // -200 + 3 -> -128
  });

  it('builds Q31 multipliers in tflite mode, one serving every channel', () => {
    // 0.5 * 0.25 / 0.25 = 0.5 -> {2^30, 0}.
    const rq = makeRequant('tflite', 0.5, [0.25], 0.25, -1, -128, 127);
    expect(rq).toEqual({ mode: 'tflite', multipliers: [{ multiplier: P30, shift: 0 }], zeroPoint: -1, min: -128, max: 127 });
    expect(requantize(rq, 5, 7)).toBe(3); // 3.5 -> 4 (high multiply tie up), - 1
    expect(requantize(rq, 0, -7)).toBe(-4); // -3.5 -> -3 (tie up), - 1
  });

  it('rounds s_in * s_w to float32 first when asked (TFLM per-tensor FULLY_CONNECTED)', () => {
    // 4101 * 4167 = 17088867, odd and 25 bits: float32 keeps 24, the tie goes to even, 17088868.
    // Over s_out = 2^-7 the real multiplier is m * 2^-33 = (m * 2^-25) * 2^-8: shift -8, Q31 value m * 64.
    const [sIn, sW, sOut] = [4101 * 2 ** -19, 4167 * 2 ** -21, 2 ** -7];
    const q31 = (product: 'double' | 'float32') => (makeRequant('tflite', sIn, [sW], sOut, 0, -128, 127, product).multipliers as { multiplier: number; shift: number }[])[0];
    expect(q31('double')).toEqual({ multiplier: 17088867 * 64, shift: -8 });
    expect(q31('float32')).toEqual({ multiplier: 17088868 * 64, shift: -8 });
    // Only a one-scale (per-tensor) requantization has TFLM's float32 product.
    expect(() => makeRequant('tflite', sIn, [sW, sW], sOut, 0, -128, 127, 'float32')).toThrow(/one weight scale/);
    // onnx mode has its own float32 rule and ignores the choice.
    expect(makeRequant('onnx', sIn, [sW], sOut, 0, -128, 127, 'float32')).toEqual(makeRequant('onnx', sIn, [sW], sOut, 0));
  });
});
