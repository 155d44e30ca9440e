/*
 * tinygen requantization: the C twin of src/numerics/requantize.ts. Both rounding modes; the
 * two languages must agree bit for bit.
 */
#ifndef TG_REQUANT_H
#define TG_REQUANT_H

#include <stddef.h>
#include <stdint.h>

enum { TG_ROUND_ONNX = 0, TG_ROUND_TFLITE = 1 };

typedef struct {
    int32_t mode;              /* TG_ROUND_ONNX or TG_ROUND_TFLITE */
    int32_t per_channel;       /* 0: index 0 serves every channel */
    const float *scale;        /* onnx: float32 multiplier per channel */
    const int32_t *multiplier; /* tflite: Q31 multiplier per channel */
    const int32_t *shift;      /* tflite: power-of-two exponent per channel, > 0 shifts left */
    int32_t zero_point;
    int32_t act_min;
    int32_t act_max;
} tg_requant_t;

static inline int32_t tg_clamp_i32(int32_t x, int32_t lo, int32_t hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

/*
 * Round half to even for |x| < 2^22: adding 1.5 * 2^23 leaves no fraction bits, so the FPU's
 * default round-to-nearest-even does the rounding. Needs strict IEEE single precision
 * (no -ffast-math, no excess precision), which every target here has.
 */
static inline int32_t tg_round_half_even_f32(float x)
{
    const float shifted = x + 12582912.0f;
    return (int32_t)(shifted - 12582912.0f);
}

static inline int32_t tg_requant_onnx(int32_t acc, float scale, int32_t zero_point, int32_t lo, int32_t hi)
{
    float scaled = (float)acc * scale;
    const float lo_f = (float)(lo - zero_point);
    const float hi_f = (float)(hi - zero_point);
    scaled = scaled < lo_f ? lo_f : (scaled > hi_f ? hi_f : scaled);
    return tg_round_half_even_f32(scaled) + zero_point;
}

static inline int32_t tg_saturating_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    const int64_t product = (int64_t)a * (int64_t)b;
    const int64_t nudge = product >= 0 ? (INT64_C(1) << 30) : (1 - (INT64_C(1) << 30));
    return (int32_t)((product + nudge) / (INT64_C(1) << 31));
}

static inline int32_t tg_rounding_divide_by_pot(int32_t x, int32_t exponent)
{
    const int32_t mask = (int32_t)((INT64_C(1) << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* shift is at most 30: the compiler rejects larger multipliers (src/numerics/requantize.ts). */
static inline int32_t tg_requant_tflite(int32_t acc, int32_t multiplier, int32_t shift, int32_t zero_point, int32_t lo, int32_t hi)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    /* Wrapping like TFLM's int32 multiply, without C's signed-overflow UB. */
    const int32_t shifted = (int32_t)(uint32_t)((uint32_t)acc << left);
    const int32_t scaled = tg_rounding_divide_by_pot(tg_saturating_rounding_doubling_high_mul(shifted, multiplier), right);
    /* In int64: near the int32 limits, adding the zero point must saturate, not wrap. */
    const int64_t offset = (int64_t)scaled + zero_point;
    return (int32_t)(offset < lo ? lo : (offset > hi ? hi : offset));
}

/*
 * A layer's output stage as the specialised kernels take it, decided at compile time: one entry
 * per output channel, or one for all (channel_mask 0), the TFLM shift split into its left and
 * right parts, and the activation range given less the zero point, so the clamp runs in int32
 * before the zero point is added and nothing can overflow.
 */
typedef struct {
    int32_t channel_mask;       /* -1: an entry per channel; 0: entry 0 for every channel */
    const int32_t *multiplier;  /* tflite: Q31 multiplier */
    const int8_t *left_shift;   /* tflite: max(shift, 0) */
    const int8_t *right_shift;  /* tflite: max(-shift, 0) */
    const float *scale;         /* onnx: float32 multiplier */
    int32_t zero_point;
    int32_t min, max;           /* act_min - zero_point, act_max - zero_point */
    /* tflite, when every channel shifts right by at least 2 (and none left): 2^(right - 2) per
     * channel, the high word of the rounding offset of tg_multiply_q31_right; else NULL. */
    const int32_t *rounding_high;
} tg_channel_requant_t;

/*
 * TFLM's MultiplyByQuantizedMultiplier with the shift split. Its saturating rounding doubling
 * high multiply adds 2^30 to a non-negative product and 1 - 2^30 to a negative one, then divides
 * by 2^31 truncating; for a multiplier >= 0 that equals adding 2^30 and shifting right by 31
 * (floor) for every product: writing p + 2^30 = k 2^31 + r with 0 <= r < 2^31, a negative p gives
 * (p + 1 - 2^30) / 2^31 = k + (r + 1 - 2^31) / 2^31, whose fraction lies in (-1, 0], so truncation
 * gives k too. The rounding right shift rounds half away from zero, as TFLM's RoundingDivideByPOT.
 * test/numerics/requantize-c.test.ts holds it to the reference on edge and random values.
 */
static inline int32_t tg_multiply_q31_tflite(int32_t acc, int32_t multiplier, int32_t left, int32_t right)
{
    const int32_t shifted = (int32_t)((uint32_t)acc << left);
    const int32_t high = (int32_t)(((int64_t)shifted * multiplier + (INT64_C(1) << 30)) >> 31);
    const int32_t mask = (int32_t)((1u << right) - 1u);
    const int32_t threshold = (mask >> 1) - (high >> 31);
    return (high >> right) + ((high & mask) > threshold ? 1 : 0);
}

/*
 * tg_multiply_q31_tflite for right >= 2 and left 0, as one 64-bit sum and one shift. The rounding
 * right shift is floor((h + 2^(right-1) - [h < 0]) / 2^right) for h = floor((acc m + 2^30) / 2^31),
 * and nested floors of divisions by 2^31 and 2^right are one floor of a division by 2^(31+right):
 * the result is floor((acc m + 2^30 + 2^(30+right) - [h < 0] 2^31) / 2^(31+right)), the high word
 * shifted by right - 1. [acc < 0] stands in for [h < 0]: they differ only for h = 0, where both
 * give 0. |acc m| < 2^62, so the sum cannot overflow. The offset 2^30 + 2^(30+right) has the low
 * word 2^30 and the high word `rounding_high` = 2^(right-2).
 */
static inline int32_t tg_multiply_q31_right(int32_t acc, int32_t multiplier, int32_t rounding_high, int32_t right)
{
#if defined(__thumb2__)
    /* Both products as SMLALs in one statement: gcc spells the second (by a constant) as five shifts
     * and adds, and, given the 64-bit sums of several outputs at once, spills them to the stack. */
    uint32_t low = UINT32_C(1) << 30, negative;
    int32_t high = rounding_high;
    __asm__("smlal %0, %1, %3, %4\n\t"
            "lsr %2, %3, #31\n\t"
            "smlal %0, %1, %2, %5"
            : "+&r"(low), "+&r"(high), "=&r"(negative)
            : "r"(acc), "r"(multiplier), "r"(INT32_MIN));
    (void)low;
    return high >> (right - 1);
#else
    int64_t sum = (int64_t)acc * multiplier + (int64_t)(((uint64_t)(uint32_t)rounding_high << 32) | (UINT64_C(1) << 30));
    sum += (int64_t)(int32_t)((uint32_t)acc >> 31) * INT32_MIN; /* -2^31 for a negative acc */
    return (int32_t)(sum >> 32) >> (right - 1);
#endif
}

/* One output byte of channel c; `mode` is a compile-time constant in every caller, so only one side is built. */
static inline int8_t tg_requant_channel(const tg_channel_requant_t *rq, int32_t channel, int32_t acc, int32_t mode)
{
    const int32_t c = channel & rq->channel_mask;
    if (mode == TG_ROUND_TFLITE) {
        const int32_t v = rq->rounding_high != NULL ? tg_multiply_q31_right(acc, rq->multiplier[c], rq->rounding_high[c], rq->right_shift[c])
                                               : tg_multiply_q31_tflite(acc, rq->multiplier[c], rq->left_shift[c], rq->right_shift[c]);
        return (int8_t)(tg_clamp_i32(v, rq->min, rq->max) + rq->zero_point);
    }
    float scaled = (float)acc * rq->scale[c];
    const float lo = (float)rq->min;
    const float hi = (float)rq->max;
    scaled = scaled < lo ? lo : (scaled > hi ? hi : scaled);
    return (int8_t)(tg_round_half_even_f32(scaled) + rq->zero_point);
}

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
/*
 * tg_requant_channel for four channels at once, their constants already in lanes, as int32 lanes
 * ready for a narrowing store. tflite: VQRDMULH is the SRDHM above for multipliers >= 0 (it only
 * saturates for INT32_MIN * INT32_MIN); VRSHL by -right adds 2^(right-1) and shifts without
 * overflow, rounding half up, and the -1 added to negative values first (where right > 0) makes it
 * half away from zero, as TFLM's RoundingDivideByPOT (VQADD keeps INT32_MIN, which divides
 * exactly). onnx: the float32 product, clamped, then VCVTN, round to nearest even.
 */
static inline __attribute__((always_inline)) int32x4_t tg_requant_lanes_mve(const tg_channel_requant_t *rq, int32x4_t acc, int32_t mode, int32x4_t multiplier,
                                                                          int32x4_t left, int32x4_t right, float32x4_t scale)
{
    if (mode == TG_ROUND_TFLITE) {
        int32x4_t v;
        if (rq->rounding_high != NULL) {
            /* Every channel shifts right by at least 2 and none left: no left shift, and every
             * negative value takes the -1. */
            v = vqrdmulhq_s32(acc, multiplier);
            v = vrshlq_s32(vqaddq_s32(v, vshrq_n_s32(v, 31)), vnegq_s32(right));
        } else {
            v = vqrdmulhq_s32(vshlq_s32(acc, left), multiplier);
            const int32x4_t fixup = vpselq_s32(vshrq_n_s32(v, 31), vdupq_n_s32(0), vcmpgtq_n_s32(right, 0));
            v = vrshlq_s32(vqaddq_s32(v, fixup), vnegq_s32(right));
        }
        v = vmaxq_s32(vminq_s32(v, vdupq_n_s32(rq->max)), vdupq_n_s32(rq->min));
        return vaddq_n_s32(v, rq->zero_point);
    }
    float32x4_t scaled = vmulq_f32(vcvtq_f32_s32(acc), scale);
    scaled = vmaxnmq_f32(vminnmq_f32(scaled, vdupq_n_f32((float)rq->max)), vdupq_n_f32((float)rq->min));
    return vaddq_n_s32(vcvtnq_s32_f32(scaled), rq->zero_point);
}

/* A layer with one set of constants (channel_mask 0): them in every lane. */
static inline __attribute__((always_inline)) int32x4_t tg_requant_broadcast_mve(const tg_channel_requant_t *rq, int32x4_t acc, int32_t mode)
{
    if (mode == TG_ROUND_TFLITE) {
        return tg_requant_lanes_mve(rq, acc, mode, vdupq_n_s32(rq->multiplier[0]), vdupq_n_s32(rq->left_shift[0]), vdupq_n_s32(rq->right_shift[0]), vdupq_n_f32(0.0f));
    }
    return tg_requant_lanes_mve(rq, acc, mode, vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_f32(rq->scale[0]));
}

/* Channels c .. c + 3 (lanes past `lanes` are don't-care). */
static inline __attribute__((always_inline)) int32x4_t tg_requant_channels_mve(const tg_channel_requant_t *rq, int32_t c, int32x4_t acc, int32_t mode,
                                                                             mve_pred16_t lanes)
{
    if (rq->channel_mask == 0) {
        return tg_requant_broadcast_mve(rq, acc, mode);
    }
    if (mode == TG_ROUND_TFLITE) {
        return tg_requant_lanes_mve(rq, acc, mode, vldrwq_z_s32(rq->multiplier + c, lanes), vldrbq_z_s32(rq->left_shift + c, lanes),
                                    vldrbq_z_s32(rq->right_shift + c, lanes), vdupq_n_f32(0.0f));
    }
    return tg_requant_lanes_mve(rq, acc, mode, vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0), vldrwq_z_f32(rq->scale + c, lanes));
}

/* Four whole channels c .. c + 3: unpredicated loads. */
static inline __attribute__((always_inline)) int32x4_t tg_requant_four_mve(const tg_channel_requant_t *rq, int32_t c, int32x4_t acc, int32_t mode)
{
    if (rq->channel_mask == 0) {
        return tg_requant_broadcast_mve(rq, acc, mode);
    }
    if (mode == TG_ROUND_TFLITE) {
        return tg_requant_lanes_mve(rq, acc, mode, vldrwq_s32(rq->multiplier + c), vldrbq_s32(rq->left_shift + c), vldrbq_s32(rq->right_shift + c), vdupq_n_f32(0.0f));
    }
    return tg_requant_lanes_mve(rq, acc, mode, vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0), vldrwq_f32(rq->scale + c));
}

/* Channels c, c + 2, c + 4, c + 6 (constants gathered with stride two). */
static inline __attribute__((always_inline)) int32x4_t tg_requant_strided_mve(const tg_channel_requant_t *rq, int32_t c, int32x4_t acc, int32_t mode)
{
    if (rq->channel_mask == 0) {
        return tg_requant_broadcast_mve(rq, acc, mode);
    }
    const uint32x4_t every_other = vidupq_n_u32(0, 2);
    if (mode == TG_ROUND_TFLITE) {
        return tg_requant_lanes_mve(rq, acc, mode, vldrwq_gather_shifted_offset_s32(rq->multiplier + c, every_other), vldrbq_gather_offset_s32(rq->left_shift + c, every_other),
                                    vldrbq_gather_offset_s32(rq->right_shift + c, every_other), vdupq_n_f32(0.0f));
    }
    return tg_requant_lanes_mve(rq, acc, mode, vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0), vldrwq_gather_shifted_offset_f32(rq->scale + c, every_other));
}
#endif

/*
 * TFLite's MultiplyByQuantizedMultiplier for int64 accumulators (16x8 layers): the multiplier
 * rounded half up to 15 bits (at most 0x7FFF), one rounding half toward +inf, and a plain
 * narrowing to int32, which is what TFLM's bytes come from. shift is in [-31, 7].
 */
static inline int32_t tg_mbqm_s64(int64_t acc, int32_t multiplier, int32_t shift)
{
    const int64_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
    const int32_t total_shift = 15 - shift;
    /* >> of a negative int64 is arithmetic on every compiler tinygen targets (gcc, clang). */
    return (int32_t)(uint32_t)(uint64_t)((acc * reduced + ((int64_t)1 << (total_shift - 1))) >> total_shift);
}

/*
 * The same for an accumulator that fits in int32, with high = the 15-bit multiplier times
 * 2^(32 - t), t = 15 - shift in [16, 32] (made at compile time): (acc · m15 + 2^(t - 1)) >> t is
 * (acc · high + 2^31) >> 32, one rounding high multiply (SMMULR).
 */
static inline int32_t tg_mbqm_s64_high(int32_t acc, int32_t high)
{
    return (int32_t)(((int64_t)acc * high + INT64_C(0x80000000)) >> 32);
}

static inline int32_t tg_requantize(const tg_requant_t *rq, int32_t channel, int32_t acc)
{
    const int32_t c = rq->per_channel ? channel : 0;
    if (rq->mode == TG_ROUND_ONNX) {
        return tg_requant_onnx(acc, rq->scale[c], rq->zero_point, rq->act_min, rq->act_max);
    }
    return tg_requant_tflite(acc, rq->multiplier[c], rq->shift[c], rq->zero_point, rq->act_min, rq->act_max);
}

#endif /* TG_REQUANT_H */
