/**
 * float32 transcendental functions for the float ops (FloatSigmoid, FloatTanh, FloatSoftmax),
 * built only from float32 +, -, *, / and exact bit manipulation, so that the TypeScript here and
 * its C twin, firmware/kernels/tg_float_math.h, give the same bits for every input.
 *
 * Rules both languages follow: every float operation is rounded to float32 on its own (here:
 * Math.fround after each one; a float32 +, -, * or / done in a double and then rounded equals the
 * float32 operation, since 53 >= 2 * 24 + 2), no fused multiply-add (the C builds use
 * -ffp-contract=off), one fixed evaluation order, and the same constants (listed with their bit
 * patterns). Powers of two are built from their bits, so scaling by them is exact (or rounds once,
 * to a subnormal).
 *
 * Accuracy (measured by test/numerics/float-math.test.ts against Math.exp / Math.tanh in double):
 * relative error below 3e-7 wherever the result is a normal float32.
 *
 * expf(x): n = round(x * log2(e)), r = x - n * ln2 with ln2 split in two (Cody-Waite: ln2_hi has
 * 15 significant bits, so n * ln2_hi is exact for |n| <= 255), |r| <= 0.35; exp(r) by its Taylor
 * polynomial of degree 7 in Horner form (truncation error < 6e-9); then times 2^n.
 *
 * tanhf(x): for |x| < 0.55, x + x * (z * P(z)) with z = x * x and P of degree 5, a least-squares
 * fit of (tanh(x) / x - 1) / z on 400 Chebyshev nodes of [0, 0.3025] (numpy), its coefficients
 * rounded to float32 (error below 3e-9 relative); up to 9.5, 1 - 2 / (expf(2|x|) + 1) with the sign
 * of x; beyond, +-1 (tanh rounds to 1 in float32 from 9.02 on).
 *
 * sigmoidf(x): 1 / (1 + expf(-x)) for x >= 0; e / (1 + e) with e = expf(x) below 0 (no overflow of
 * expf(-x), and subnormal results stay accurate).
 */

const f32 = Math.fround;

const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);

/** The float32 with these bits. */
export function floatFromBits(pattern: number): number {
  bits[0] = pattern >>> 0;
  return asFloat[0]!;
}

/** The bits of a float32 value. */
export function bitsOfFloat(value: number): number {
  asFloat[0] = value;
  return bits[0]!;
}

/** 2^n as a float32 built from its exponent bits, for n in [-126, 127]. */
function pow2(n: number): number {
  return floatFromBits((n + 127) << 23);
}

/** x * 2^n for a normal x near 1 and n in [-150, 128], rounding once (only when the result is subnormal). */
export function ldexpf(x: number, n: number): number {
  if (n > 127) return f32(f32(x * pow2(127)) * pow2(n - 127));
  if (n < -126) return f32(f32(x * pow2(n + 126)) * pow2(-126));
  return f32(x * pow2(n));
}

// Constants (float32; bit patterns in brackets).
const LOG2E = f32(1.4426950216293335); // [0x3fb8aa3b]
const LN2_HI = f32(0.693145751953125); // [0x3f317200]
const LN2_LO = f32(1.428606765330187e-6); // [0x35bfbe8e]
const EXP_OVERFLOW = f32(88.8); // exp(x) > FLT_MAX above 88.7228
const EXP_UNDERFLOW = f32(-104); // exp(x) < half the least subnormal below -103.97
/** 1/k! for k = 7 down to 2 (then 1 and 1). */
const E7 = f32(0.00019841270113829523); // [0x39500d01]
const E6 = f32(0.0013888889225199819); // [0x3ab60b61]
const E5 = f32(0.008333333767950535); // [0x3c088889]
const E4 = f32(0.0416666679084301); // [0x3d2aaaab]
const E3 = f32(0.1666666716337204); // [0x3e2aaaab]
const E2 = f32(0.5); // [0x3f000000]

const TANH_SMALL = f32(0.55);
const TANH_ONE = f32(9.5);
/** P(z) = T0 + T1 z + ... + T5 z^5. */
const T0 = f32(-0.3333333432674408); // [0xbeaaaaab]
const T1 = f32(0.1333332508802414); // [0x3e088883]
const T2 = f32(-0.05396474525332451); // [0xbd5d0a23]
const T3 = f32(0.021818874403834343); // [0x3cb2bd7f]
const T4 = f32(-0.008527935482561588); // [0xbc0bb8c1]
const T5 = f32(0.0025285030715167522); // [0x3b25b53e]

/** exp(x) for a float32 x. NaN gives NaN, +inf +inf, -inf 0. */
export function expf(x: number): number {
  if (x !== x) return NaN;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  const k = f32(x * LOG2E);
  // Round half away from zero: |k| <= 151, so the float32 sum is exact enough and trunc is the C cast.
  const n = Math.trunc(k < 0 ? f32(k - 0.5) : f32(k + 0.5));
  const hi = f32(x - f32(n * LN2_HI));
  const r = f32(hi - f32(n * LN2_LO));
  let p = E7;
  p = f32(f32(p * r) + E6);
  p = f32(f32(p * r) + E5);
  p = f32(f32(p * r) + E4);
  p = f32(f32(p * r) + E3);
  p = f32(f32(p * r) + E2);
  p = f32(f32(p * r) + 1);
  p = f32(f32(p * r) + 1);
  return ldexpf(p, n);
}

/** tanh(x) for a float32 x. NaN gives NaN; the sign of zero is kept. */
export function tanhf(x: number): number {
  if (x !== x) return NaN;
  const a = x < 0 ? -x : x;
  if (a < TANH_SMALL) {
    if (x === 0) return x;
    const z = f32(x * x);
    let p = T5;
    p = f32(f32(p * z) + T4);
    p = f32(f32(p * z) + T3);
    p = f32(f32(p * z) + T2);
    p = f32(f32(p * z) + T1);
    p = f32(f32(p * z) + T0);
    const t = f32(z * p);
    return f32(x + f32(x * t));
  }
  if (a > TANH_ONE) return x < 0 ? -1 : 1;
  const e = expf(f32(a + a));
  const t = f32(1 - f32(2 / f32(e + 1)));
  return x < 0 ? -t : t;
}

/** The logistic function 1 / (1 + exp(-x)) for a float32 x. NaN gives NaN. */
export function sigmoidf(x: number): number {
  if (x >= 0) return f32(1 / f32(1 + expf(-x)));
  const e = expf(x);
  return f32(e / f32(1 + e));
}
