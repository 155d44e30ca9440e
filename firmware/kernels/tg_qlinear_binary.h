/*
 * QLinearAdd and QLinearMul: int8 elementwise binary ops with numpy broadcasting, each input at
 * its own scale and zero point. The C twins of src/ops/qlinear-add/reference.ts and
 * src/ops/qlinear-mul/reference.ts; the numerics are described in their definition.ts.
 */
#ifndef TG_QLINEAR_BINARY_H
#define TG_QLINEAR_BINARY_H
#include "tinygen_kernels.h"

/*
 * float32 fused multiply-add, rounded once (the twin of src/numerics/fma.ts). Cores with a VFPv4
 * or later FPU have the instruction; elsewhere the product is exact in a double, the double
 * sum's error is recovered exactly, and it settles the one case where rounding the double sum to
 * float would be wrong: a sum exactly halfway between two floats.
 */
#if defined(__ARM_FEATURE_FMA) && defined(__ARM_FP) && (__ARM_FP & 4)
static inline float tg_fmaf(float a, float b, float c)
{
    return __builtin_fmaf(a, b, c);
}
#else
#include <float.h>
#if DBL_MANT_DIG != 53 || FLT_MANT_DIG != 24
#error "tg_fmaf needs IEEE binary64 doubles and binary32 floats"
#endif

static inline float tg_fmaf(float a, float b, float c)
{
    const double p = (double)a * (double)b;
    const double s = p + (double)c;
    const double bv = s - p;
    const double e = (p - (s - bv)) + ((double)c - bv);
    const float r = (float)s;
    if (e == 0.0) {
        return r;
    }
    const double d = s - (double)r;
    if (d == 0.0) {
        return r;
    }
    const double other = (double)r + 2.0 * d;
    if ((double)(float)other != other) {
        return r;
    }
    return ((e > 0.0) == (d > 0.0)) ? (float)other : r;
}
#endif

/*
 * ONNX Runtime's last step on x86: conversion to int32, half to even (out of range or NaN gives
 * INT32_MIN), then saturation to [lo, hi]. Clamping first keeps the rounding trick in range and
 * gives the same integers (the bounds are integers).
 */
static inline int32_t tg_ort_convert(float v, int32_t lo, int32_t hi)
{
    if (!(v < 2147483648.0f)) {
        return lo;
    }
    if (v <= (float)lo) {
        return lo;
    }
    if (v >= (float)hi) {
        return hi;
    }
    return tg_round_half_even_f32(v);
}

/*
 * ONNX Runtime's unfused pattern: DequantizeLinear of both operands, the float32 op (is_mul: Mul,
 * else Add), QuantizeLinear (NaN goes to the zero point, as there), then the activation clamp.
 */
static inline int8_t tg_ort_float_binary(const tg_ort_float_binary_t *f, int32_t is_mul, int32_t a, int32_t b, int32_t act_min, int32_t act_max)
{
    const float fa = (float)(a - f->a_zero_point) * f->a_scale;
    const float fb = (float)(b - f->b_zero_point) * f->b_scale;
    const float r = is_mul ? fa * fb : fa + fb;
    const float lo = (float)(-128 - f->out_zero_point);
    const float hi = (float)(127 - f->out_zero_point);
    float v = r / f->out_scale;
    v = v != v ? 0.0f : (v < lo ? lo : (v > hi ? hi : v));
    return (int8_t)tg_clamp_i32(tg_round_half_even_f32(v) + f->out_zero_point, act_min, act_max);
}

/* Advances the outer axes (all but the last) of a broadcast walk; returns 0 after the last row. */
static inline int tg_broadcast_next(const tg_broadcast_t *bc, int32_t index[6], int32_t *ox, int32_t *oy)
{
    for (int32_t d = bc->rank - 2; d >= 0; d--) {
        *ox += bc->x_strides[d];
        *oy += bc->y_strides[d];
        if (++index[d] < bc->shape[d]) {
            return 1;
        }
        *ox -= bc->x_strides[d] * bc->shape[d];
        *oy -= bc->y_strides[d] * bc->shape[d];
        index[d] = 0;
    }
    return 0;
}

/* ---- QLinearAdd ---------------------------------------------------------------------------- */

static inline int8_t tg_qadd_onnx_finish(const tg_qadd_t *p, float v)
{
    const int32_t q = tg_ort_convert(v, p->offset - 128, p->offset + 127) - p->offset;
    return (int8_t)tg_clamp_i32(q, p->act_min, p->act_max);
}

static inline __attribute__((always_inline)) void tg_qadd_row(const tg_qadd_t *p, const int8_t *x, int32_t sx, const int8_t *y, int32_t sy, int8_t *out, int32_t n)
{
    if (p->ort_float.enabled) {
        for (int32_t i = 0; i < n; i++) {
            out[i] = tg_ort_float_binary(&p->ort_float, 0, x[i * sx], y[i * sy], p->act_min, p->act_max);
        }
        return;
    }
    if (p->mode == TG_ROUND_ONNX) {
        const float off = (float)p->offset;
        int32_t i = 0;
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
        if (sx == 1 && sy == 1) {
            /* Four elements per step in float32 lanes: the same fused multiply-adds (VFMA rounds
             * once, as fmaf), then tg_ort_convert: a value not below 2^31 (or NaN) gives the low
             * bound, the rest is clamped and converted half to even (VCVTN). */
            const float32x4_t fixed = vdupq_n_f32(p->fixed), lo = vdupq_n_f32((float)(p->offset - 128)), hi = vdupq_n_f32((float)(p->offset + 127));
            for (; i + 4 <= n; i += 4) {
                const float32x4_t fx = vcvtq_f32_s32(vaddq_n_s32(vldrbq_s32(x + i), p->offset));
                const float32x4_t fy = vcvtq_f32_s32(vaddq_n_s32(vldrbq_s32(y + i), p->offset));
                float32x4_t v = vfmaq_n_f32(vfmaq_n_f32(fixed, fy, p->y_ratio), fx, p->x_ratio);
                v = vpselq_f32(v, lo, vcmpltq_n_f32(v, 2147483648.0f));
                v = vminnmq_f32(vmaxnmq_f32(v, lo), hi);
                int32x4_t q = vsubq_n_s32(vcvtnq_s32_f32(v), p->offset);
                q = vmaxq_s32(vminq_s32(q, vdupq_n_s32(p->act_max)), vdupq_n_s32(p->act_min));
                vstrbq_s32(out + i, q);
            }
        }
#endif
        if (sy == 0) {
            /* y repeats along the row: its half of the sum is computed once. */
            const float inner = tg_fmaf((float)y[0] + off, p->y_ratio, p->fixed);
            for (; i < n; i++) {
                out[i] = tg_qadd_onnx_finish(p, tg_fmaf((float)x[i * sx] + off, p->x_ratio, inner));
            }
        } else {
            for (; i < n; i++) {
                const float inner = tg_fmaf((float)y[i * sy] + off, p->y_ratio, p->fixed);
                out[i] = tg_qadd_onnx_finish(p, tg_fmaf((float)x[i * sx] + off, p->x_ratio, inner));
            }
        }
        return;
    }
    /*
     * TFLM's add with the requantization of tg_requant.h's specialised kernels (the compiler's
     * multipliers are >= 0, its input shifts <= 0): each side (v + offset) << 20 scaled to the
     * common scale, the sum scaled to the output's, clamped below the zero point. Locals, not reads
     * through p: the int8 output stores would force reloads.
     */
    const int32_t left = p->left_shift, x_offset = p->x_offset, y_offset = p->y_offset;
    const int32_t x_multiplier = p->x_multiplier, x_right = -p->x_shift, y_multiplier = p->y_multiplier, y_right = -p->y_shift;
    const int32_t out_multiplier = p->out_multiplier, out_left = p->out_shift > 0 ? p->out_shift : 0, out_right = p->out_shift > 0 ? 0 : -p->out_shift;
    const int32_t zero_point = p->out_zero_point, lo = p->act_min - zero_point, hi = p->act_max - zero_point;
    int32_t i = 0;
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
    if (sx == 1 && sy == 1) {
        /* Four elements per step in int32 lanes: the same arithmetic, vectorised (see tg_requant_channels_mve). */
        const int32x4_t zero = vdupq_n_s32(0);
        for (; i + 4 <= n; i += 4) {
            int32x4_t vx = vshlq_s32(vaddq_n_s32(vldrbq_s32(x + i), x_offset), vdupq_n_s32(left));
            vx = vqrdmulhq_n_s32(vx, x_multiplier);
            vx = vrshlq_s32(vqaddq_s32(vx, x_right > 0 ? vshrq_n_s32(vx, 31) : zero), vdupq_n_s32(-x_right));
            int32x4_t vy = vshlq_s32(vaddq_n_s32(vldrbq_s32(y + i), y_offset), vdupq_n_s32(left));
            vy = vqrdmulhq_n_s32(vy, y_multiplier);
            vy = vrshlq_s32(vqaddq_s32(vy, y_right > 0 ? vshrq_n_s32(vy, 31) : zero), vdupq_n_s32(-y_right));
            int32x4_t v = vqrdmulhq_n_s32(vshlq_s32(vaddq_s32(vx, vy), vdupq_n_s32(out_left)), out_multiplier);
            v = vrshlq_s32(vqaddq_s32(v, out_right > 0 ? vshrq_n_s32(v, 31) : zero), vdupq_n_s32(-out_right));
            v = vaddq_n_s32(vmaxq_s32(vminq_s32(v, vdupq_n_s32(hi)), vdupq_n_s32(lo)), zero_point);
            vstrbq_s32(out + i, v);
        }
    }
#endif
    for (; i < n; i++) {
        const int32_t vx = tg_multiply_q31_tflite(x[i * sx] + x_offset, x_multiplier, left, x_right);
        const int32_t vy = tg_multiply_q31_tflite(y[i * sy] + y_offset, y_multiplier, left, y_right);
        const int32_t v = tg_multiply_q31_tflite(vx + vy, out_multiplier, out_left, out_right);
        out[i] = (int8_t)(tg_clamp_i32(v, lo, hi) + zero_point);
    }
}

/* The kernel's body: the library's tg_qlinear_add_s8 wraps it, and generated code wraps it once per
 * layer, with the layer's constants (shifts, scales, zero points, shape) in the compiler's view. */
static inline __attribute__((always_inline)) void tg_qlinear_add_body(const tg_qadd_t *p, const int8_t *x, const int8_t *y, int8_t *output)
{
    const tg_broadcast_t *bc = &p->bc;
    const int32_t last = bc->rank - 1;
    const int32_t n = bc->shape[last];
    int32_t index[6] = { 0, 0, 0, 0, 0, 0 };
    int32_t ox = 0;
    int32_t oy = 0;
    do {
        tg_qadd_row(p, x + ox, bc->x_strides[last], y + oy, bc->y_strides[last], output, n);
        output += n;
    } while (tg_broadcast_next(bc, index, &ox, &oy));
}

/*
 * TFLM's integer ADD (subtract 0) or SUB (subtract 1) of one pair, for int8 and int16 alike (TFLite
 * SUB and the 16x8 ADD; src/ops/qlinear-add/reference.ts, tflmAddSubElement): each side less its
 * zero point, shifted left (20 or 15 bits, room the int32 holds for either type), scaled by its
 * multiplier, combined, scaled to the output, clamped, plus the zero point. The compiler keeps
 * every multiplier below 1, so the shifts here are right shifts (0..31); lo and hi are the
 * activation bounds less the zero point, so nothing overflows before the clamp.
 */
typedef struct {
    int32_t subtract;
    int32_t left, x_offset, y_offset;
    int32_t x_multiplier, x_right, y_multiplier, y_right, out_multiplier, out_right;
    int32_t zero_point, lo, hi;
} tg_tflm_add_sub_k;

static inline int32_t tg_tflm_add_sub(const tg_tflm_add_sub_k *k, int32_t x, int32_t y)
{
    const int32_t vx = tg_multiply_q31_tflite(x + k->x_offset, k->x_multiplier, k->left, k->x_right);
    const int32_t vy = tg_multiply_q31_tflite(y + k->y_offset, k->y_multiplier, k->left, k->y_right);
    const int32_t v = tg_multiply_q31_tflite(k->subtract ? vx - vy : vx + vy, k->out_multiplier, 0, k->out_right);
    return tg_clamp_i32(v, k->lo, k->hi) + k->zero_point;
}

/* TFLM's ADD or SUB over a broadcast, int8 or int16 operands: the row walk both types share. */
static inline void tg_tflm_add_sub_s8(const tg_tflm_add_sub_k *k, const tg_broadcast_t *bc, const int8_t *x, const int8_t *y, int8_t *output)
{
    const int32_t last = bc->rank - 1;
    const int32_t n = bc->shape[last], sx = bc->x_strides[last], sy = bc->y_strides[last];
    int32_t index[6] = { 0, 0, 0, 0, 0, 0 };
    int32_t ox = 0;
    int32_t oy = 0;
    do {
        for (int32_t i = 0; i < n; i++) output[i] = (int8_t)tg_tflm_add_sub(k, x[ox + i * sx], y[oy + i * sy]);
        output += n;
    } while (tg_broadcast_next(bc, index, &ox, &oy));
}

static inline void tg_tflm_add_sub_s16(const tg_tflm_add_sub_k *k, const tg_broadcast_t *bc, const int16_t *x, const int16_t *y, int16_t *output)
{
    const int32_t last = bc->rank - 1;
    const int32_t n = bc->shape[last], sx = bc->x_strides[last], sy = bc->y_strides[last];
    int32_t index[6] = { 0, 0, 0, 0, 0, 0 };
    int32_t ox = 0;
    int32_t oy = 0;
    do {
        for (int32_t i = 0; i < n; i++) output[i] = (int16_t)tg_tflm_add_sub(k, x[ox + i * sx], y[oy + i * sy]);
        output += n;
    } while (tg_broadcast_next(bc, index, &ox, &oy));
}

/* ---- QLinearMul ---------------------------------------------------------------------------- */

static inline __attribute__((always_inline)) void tg_qmul_row(const tg_qmul_t *p, const int8_t *a, int32_t sa, const int8_t *b, int32_t sb, int8_t *out, int32_t n)
{
    if (p->ort_float.enabled) {
        for (int32_t i = 0; i < n; i++) {
            out[i] = tg_ort_float_binary(&p->ort_float, 1, a[i * sa], b[i * sb], p->act_min, p->act_max);
        }
        return;
    }
    if (p->mode == TG_ROUND_ONNX) {
        const float zero_point = (float)p->onnx_zero_point;
        const int32_t lo = p->offset - 128;
        const int32_t hi = p->offset + 127;
        for (int32_t i = 0; i < n; i++) {
            const int32_t product = ((int32_t)a[i * sa] - p->a_zero_point) * ((int32_t)b[i * sb] - p->b_zero_point);
            const float scaled = (float)product * p->ratio;
            const int32_t q = tg_ort_convert(scaled + zero_point, lo, hi) - p->offset;
            out[i] = (int8_t)tg_clamp_i32(q, p->act_min, p->act_max);
        }
        return;
    }
    for (int32_t i = 0; i < n; i++) {
        const int32_t product = ((int32_t)a[i * sa] - p->a_zero_point) * ((int32_t)b[i * sb] - p->b_zero_point);
        out[i] = (int8_t)tg_requant_tflite(product, p->multiplier, p->shift, p->zero_point, p->act_min, p->act_max);
    }
}

/* The body of tg_qlinear_mul_s8, as tg_qlinear_add_body. */
static inline __attribute__((always_inline)) void tg_qlinear_mul_body(const tg_qmul_t *p, const int8_t *a, const int8_t *b, int8_t *output)
{
    const tg_broadcast_t *bc = &p->bc;
    const int32_t last = bc->rank - 1;
    const int32_t n = bc->shape[last];
    int32_t index[6] = { 0, 0, 0, 0, 0, 0 };
    int32_t oa = 0;
    int32_t ob = 0;
    do {
        tg_qmul_row(p, a + oa, bc->x_strides[last], b + ob, bc->y_strides[last], output, n);
        output += n;
    } while (tg_broadcast_next(bc, index, &oa, &ob));
}

#endif /* TG_QLINEAR_BINARY_H */
