/*
 * QLinearAdd and QLinearMul: int8 elementwise binary ops with numpy broadcasting, each input at
 * its own scale and zero point. The C twins of src/ops/qlinear-add/reference.ts and
 * src/ops/qlinear-mul/reference.ts; the numerics are described in their definition.ts.
 */
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
_Static_assert(DBL_MANT_DIG == 53 && FLT_MANT_DIG == 24, "tg_fmaf needs IEEE binary64 doubles and binary32 floats");

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
static int tg_broadcast_next(const tg_broadcast_t *bc, int32_t index[6], int32_t *ox, int32_t *oy)
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

static inline int32_t tg_qadd_tflite_scale(int32_t value, int32_t offset, int32_t left_shift, int32_t multiplier, int32_t shift)
{
    /* |value + offset| <= 255, so the shifted value fits in int32; shift <= 0. */
    const int32_t shifted = (value + offset) * (1 << left_shift);
    return tg_rounding_divide_by_pot(tg_saturating_rounding_doubling_high_mul(shifted, multiplier), -shift);
}

static void tg_qadd_row(const tg_qadd_t *p, const int8_t *x, int32_t sx, const int8_t *y, int32_t sy, int8_t *out, int32_t n)
{
    if (p->ort_float.enabled) {
        for (int32_t i = 0; i < n; i++) {
            out[i] = tg_ort_float_binary(&p->ort_float, 0, x[i * sx], y[i * sy], p->act_min, p->act_max);
        }
        return;
    }
    if (p->mode == TG_ROUND_ONNX) {
        const float off = (float)p->offset;
        if (sy == 0) {
            /* y repeats along the row: its half of the sum is computed once. */
            const float inner = tg_fmaf((float)y[0] + off, p->y_ratio, p->fixed);
            for (int32_t i = 0; i < n; i++) {
                out[i] = tg_qadd_onnx_finish(p, tg_fmaf((float)x[i * sx] + off, p->x_ratio, inner));
            }
        } else {
            for (int32_t i = 0; i < n; i++) {
                const float inner = tg_fmaf((float)y[i * sy] + off, p->y_ratio, p->fixed);
                out[i] = tg_qadd_onnx_finish(p, tg_fmaf((float)x[i * sx] + off, p->x_ratio, inner));
            }
        }
        return;
    }
    for (int32_t i = 0; i < n; i++) {
        const int32_t vx = tg_qadd_tflite_scale(x[i * sx], p->x_offset, p->left_shift, p->x_multiplier, p->x_shift);
        const int32_t vy = tg_qadd_tflite_scale(y[i * sy], p->y_offset, p->left_shift, p->y_multiplier, p->y_shift);
        out[i] = (int8_t)tg_requant_tflite(vx + vy, p->out_multiplier, p->out_shift, p->out_zero_point, p->act_min, p->act_max);
    }
}

void tg_qlinear_add_s8(const tg_qadd_t *p, const int8_t *x, const int8_t *y, int8_t *output)
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

/* ---- QLinearMul ---------------------------------------------------------------------------- */

static void tg_qmul_row(const tg_qmul_t *p, const int8_t *a, int32_t sa, const int8_t *b, int32_t sb, int8_t *out, int32_t n)
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

void tg_qlinear_mul_s8(const tg_qmul_t *p, const int8_t *a, const int8_t *b, int8_t *output)
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
