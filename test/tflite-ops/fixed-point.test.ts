/** gemmlowp's fixed-point steps, checked against values derived by hand from their defining formulas. */
import { describe, expect, it } from 'vitest';
import { expOnNegativeValues, logistic, oneMinusXOverOnePlusX, oneOverOnePlusX, reciprocal, srdhm, tanh } from '../../src/ops/common/gemmlowp-fixed-point.ts';
import { fixedPointInputScaling, inputRadius } from '../../src/ops/common/tflm-input-scaling.ts';

const INT32_MAX = 2 ** 31 - 1;
const q31 = (raw: number) => raw / 2 ** 31;

describe('gemmlowp fixed point, by hand', () => {
  it('exp(0) is 1.0, which Q0.31 cannot hold: it saturates to INT32_MAX in every input format', () => {
    for (const bits of [1, 2, 3, 4, 5]) expect(expOnNegativeValues(0, bits)).toBe(INT32_MAX);
  });

  it('exp(-1/8) is the Taylor expansion point: x = a + 1/8 = 0, every power vanishes, the result is the constant exactly', () => {
    // -1/8 is -2^23 in Q5.26 and -2^24 in Q4.27; a mod 1/4 - 1/4 = -1/8, no barrel-shifter bits remain.
    expect(expOnNegativeValues(-(2 ** 23), 5)).toBe(1895147668);
    expect(expOnNegativeValues(-(2 ** 24), 4)).toBe(1895147668);
    expect(Math.round(Math.exp(-1 / 8) * 2 ** 31)).toBe(1895147668);
  });

  it('exp(-1): -1 = -1/4 - 3/4, so the interval value exp(-1/4) times the exp(-1/4) and exp(-1/2) factors', () => {
    for (const bits of [4, 5]) {
      const expQuarter = expOnNegativeValues(-(2 ** (29 - bits)), bits); // remainder 0: the Taylor value alone
      const got = expOnNegativeValues(-(2 ** (31 - bits)), bits);
      expect(got).toBe(srdhm(srdhm(expQuarter, 1672461947), 1302514674));
      // Within gemmlowp's stated accuracy of its exp (3e-7).
      expect(Math.abs(q31(got) - Math.exp(-1))).toBeLessThan(3e-7);
    }
  });

  it('exp(-16) needs the k = 4 factor, which Q4.27 lacks: -16 is out of its range; Q5.26 has it', () => {
    expect(Math.abs(q31(expOnNegativeValues(-16 * 2 ** 26, 5)) - Math.exp(-16))).toBeLessThan(2 ** -30);
  });

  it('1/(1+0) = 1 saturates; 1/(1+1/2) = 2/3; (1-0)/(1+0) = 1 saturates; (1-1/2)/(1+1/2) = 1/3', () => {
    expect(INT32_MAX - oneOverOnePlusX(0)).toBeLessThanOrEqual(2);
    expect(Math.abs(q31(oneOverOnePlusX(2 ** 30)) - 2 / 3)).toBeLessThan(4e-9);
    expect(INT32_MAX - oneMinusXOverOnePlusX(0)).toBeLessThanOrEqual(4);
    expect(Math.abs(q31(oneMinusXOverOnePlusX(2 ** 30)) - 1 / 3)).toBeLessThan(6e-9);
  });

  it('GetReciprocal of 2.0 in Q12.19: headroom 11 leaves 2 = 1.0 * 2^1, so 1/(1+0) with one bit over unit', () => {
    const r = reciprocal(2 * 2 ** 19, 12);
    expect(r.bitsOverUnit).toBe(1);
    expect(INT32_MAX - r.value).toBeLessThanOrEqual(2);
  });

  it('logistic(0) = 1/2 and tanh(0) = 0 exactly; logistic(-a) = 1 - logistic(a) and tanh(-a) = -tanh(a)', () => {
    expect(logistic(0, 4)).toBe(2 ** 30);
    expect(tanh(0, 4)).toBe(0);
    for (const a of [1, 12345, 2 ** 27, 5 * 2 ** 27 + 77]) {
      expect(logistic(-a, 4)).toBe(INT32_MAX - logistic(a, 4));
      expect(tanh(-a, 4)).toBe(-tanh(a, 4));
    }
  });

  it('logistic and tanh track their real values across Q4.27', () => {
    let worstLogistic = 0;
    let worstTanh = 0;
    for (let x = -15.9; x < 16; x += 0.173) {
      const a = Math.round(x * 2 ** 27);
      worstLogistic = Math.max(worstLogistic, Math.abs(q31(logistic(a, 4)) - 1 / (1 + Math.exp(-a / 2 ** 27))));
      worstTanh = Math.max(worstTanh, Math.abs(q31(tanh(a, 4)) - Math.tanh(a / 2 ** 27)));
    }
    expect(worstLogistic).toBeLessThan(1e-6);
    expect(worstTanh).toBeLessThan(1e-6);
  });

  it('input scaling: scale 1/16 into Q4.27 is exactly 2^23 = 0.5 * 2^24 (shift 24), radius 15 * 2^27 / 2^24 = 120', () => {
    const s = fixedPointInputScaling(1 / 16, 4);
    expect(s).toEqual({ multiplier: 2 ** 30, leftShift: 24, radius: 120 });
    // Softmax's diff_min for beta * scale = 1: 31 * 2^26 / 2^27.
    expect(fixedPointInputScaling(1, 5)).toEqual({ multiplier: 2 ** 30, leftShift: 27, radius: 15 });
    expect(inputRadius(5, 27)).toBe(15);
  });
});
