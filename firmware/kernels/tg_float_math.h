/*
 * tinygen float32 math: the C twin of src/numerics/float-math.ts (read it for the method and the
 * accuracy). Only float32 +, -, *, / and exact bit manipulation, in the same order and with the
 * same constants as the TypeScript, so both give the same bits for every input. Needs strict
 * IEEE single precision without contraction (-ffp-contract=off, no -ffast-math, no excess
 * precision; FLT_EVAL_METHOD 0), and no flush-to-zero of subnormals.
 */
#ifndef TG_FLOAT_MATH_H
#define TG_FLOAT_MATH_H

#include <stdint.h>
#include <string.h>

static inline float tg_float_from_bits(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/* 2^n built from its exponent bits, n in [-126, 127]. */
static inline float tg_pow2f(int32_t n)
{
    return tg_float_from_bits((uint32_t)(n + 127) << 23);
}

/* x * 2^n for a normal x near 1 and n in [-150, 128], rounding once (only to a subnormal). */
static inline float tg_ldexpf(float x, int32_t n)
{
    if (n > 127) {
        const float big = x * tg_pow2f(127);
        return big * tg_pow2f(n - 127);
    }
    if (n < -126) {
        const float small = x * tg_pow2f(n + 126);
        return small * tg_pow2f(-126);
    }
    return x * tg_pow2f(n);
}

/* exp(x). NaN gives NaN, +inf +inf, -inf 0. */
static inline float tg_expf(float x)
{
    if (x != x) {
        return x;
    }
    if (x > 88.8f) {
        return tg_float_from_bits(0x7f800000u);
    }
    if (x < -104.0f) {
        return 0.0f;
    }
    const float k = x * 0x1.715476p+0f;                      /* log2(e)  [0x3fb8aa3b] */
    const int32_t n = (int32_t)(k < 0.0f ? k - 0.5f : k + 0.5f);
    const float nf = (float)n;
    const float hi = x - nf * 0x1.62e4p-1f;                  /* ln2_hi   [0x3f317200] */
    const float r = hi - nf * 0x1.7f7d1cp-20f;               /* ln2_lo   [0x35bfbe8e] */
    float p = 0x1.a01a02p-13f;                               /* 1/7!     [0x39500d01] */
    p = p * r + 0x1.6c16c2p-10f;                             /* 1/6!     [0x3ab60b61] */
    p = p * r + 0x1.111112p-7f;                              /* 1/5!     [0x3c088889] */
    p = p * r + 0x1.555556p-5f;                              /* 1/4!     [0x3d2aaaab] */
    p = p * r + 0x1.555556p-3f;                              /* 1/3!     [0x3e2aaaab] */
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    return tg_ldexpf(p, n);
}

/* tanh(x). NaN gives NaN; the sign of zero is kept. */
static inline float tg_tanhf(float x)
{
    if (x != x) {
        return x;
    }
    const float a = x < 0.0f ? -x : x;
    if (a < 0.55f) {
        if (x == 0.0f) {
            return x;
        }
        const float z = x * x;
        float p = 0x1.4b6a7cp-9f;                            /* T5 [0x3b25b53e] */
        p = p * z + -0x1.177182p-7f;                         /* T4 [0xbc0bb8c1] */
        p = p * z + 0x1.657afep-6f;                          /* T3 [0x3cb2bd7f] */
        p = p * z + -0x1.ba1446p-5f;                         /* T2 [0xbd5d0a23] */
        p = p * z + 0x1.111106p-3f;                          /* T1 [0x3e088883] */
        p = p * z + -0x1.555556p-2f;                         /* T0 [0xbeaaaaab] */
        const float t = z * p;
        return x + x * t;
    }
    if (a > 9.5f) {
        return x < 0.0f ? -1.0f : 1.0f;
    }
    const float e = tg_expf(a + a);
    const float t = 1.0f - 2.0f / (e + 1.0f);
    return x < 0.0f ? -t : t;
}

/* The logistic function 1 / (1 + exp(-x)). NaN gives NaN. */
static inline float tg_sigmoidf(float x)
{
    if (x >= 0.0f) {
        return 1.0f / (1.0f + tg_expf(-x));
    }
    const float e = tg_expf(x);
    return e / (1.0f + e);
}

#endif /* TG_FLOAT_MATH_H */
