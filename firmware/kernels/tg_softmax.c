/*
 * QLinearSoftmax (src/ops/qlinear-softmax): each row is `length` elements `inner` apart, with
 * outer x inner rows. Two kernels, one per rounding mode:
 *  - onnx: ONNX Runtime's QLinearSoftmax, in float32 with a table of exps;
 *  - tflite: TFLM's int8 SOFTMAX in gemmlowp fixed point, integer-only.
 */
#include <float.h>
#include "tinygen_kernels.h"
#include "tg_fixed_point.h"

static int8_t row_max(const int8_t *x, int32_t stride, int32_t length)
{
    int32_t max = -128;
    for (int32_t k = 0; k < length; k++) {
        const int32_t v = x[k * stride];
        max = v > max ? v : max;
    }
    return (int8_t)max;
}

void tg_softmax_onnx_s8(const tg_softmax_onnx_t *p, const int8_t *input, int8_t *output)
{
    for (int32_t o = 0; o < p->outer; o++) {
        for (int32_t i = 0; i < p->inner; i++) {
            const int32_t offset = o * p->length * p->inner + i;
            const int8_t *x = input + offset;
            int8_t *y = output + offset;
            /* The table holds exp(d) at d + 255 for d = x - max in [-255, 0]. */
            const float *e = p->exp_table + 255 - row_max(x, p->inner, p->length);
            float sum = 0.0f;
            for (int32_t k = 0; k < p->length; k++) {
                sum += e[x[k * p->inner]];
            }
            for (int32_t k = 0; k < p->length; k++) {
                const float scaled = e[x[k * p->inner]] * p->y_factor;
                int32_t v;
                if (scaled <= FLT_MAX) {
                    /* scaled / sum <= y_factor < 2^22: in the rounding trick's range. */
                    v = tg_clamp_i32(tg_round_half_even_f32(scaled / sum) + p->zero_point, -128, 127);
                } else {
                    v = p->overflow_value;
                }
                y[k * p->inner] = (int8_t)v;
            }
        }
    }
}

/* exp(x - max) in Q0.31, or -1 when the difference is below diff_min. */
static int32_t exp_of_difference(const tg_softmax_tflite_t *p, int32_t diff)
{
    if (diff < p->diff_min) {
        return -1;
    }
    /* |diff| * 2^shift stays below 31 * 2^26 by the choice of diff_min. */
    const int32_t shifted = (int32_t)((uint32_t)diff << p->input_left_shift);
    return tg_fp_exp_on_negative_values(TG_FP_MUL(shifted, p->input_multiplier), 5); /* Q5.26 */
}

/* Rows up to this long keep their exps from the sum's pass for the output's (on the stack). */
#define TG_SOFTMAX_CACHED 16

/* The int8 method, writing int8 (out8) or int16 (out16, TFLM's int8 -> int16 form): the one
 * that is not NULL. The two wrappers below pass constants, so each compiles to one store. */
static inline __attribute__((always_inline)) void softmax_tflite(const tg_softmax_tflite_t *p, const int8_t *input, int8_t *out8, int16_t *out16)
{
    const int32_t lo = out16 ? INT16_MIN : INT8_MIN;
    const int32_t hi = out16 ? INT16_MAX : INT8_MAX;
    const int32_t empty = tg_clamp_i32(p->zero_point, lo, hi);
    const int32_t cached = p->length <= TG_SOFTMAX_CACHED;
    int32_t exps[TG_SOFTMAX_CACHED];
    for (int32_t o = 0; o < p->outer; o++) {
        for (int32_t i = 0; i < p->inner; i++) {
            const int32_t offset = o * p->length * p->inner + i;
            const int8_t *x = input + offset;
            const int32_t max = row_max(x, p->inner, p->length);
            int32_t sum = 0; /* Q12.19 */
            for (int32_t k = 0; k < p->length; k++) {
                const int32_t e = exp_of_difference(p, x[k * p->inner] - max);
                if (cached) {
                    exps[k] = e;
                }
                if (e >= 0) {
                    sum = tg_fp_add(sum, tg_rounding_divide_by_pot(e, 12));
                }
            }
            const int32_t headroom_plus_one = tg_leading_zeros((uint32_t)sum);
            const int32_t bits_over_unit = 12 - headroom_plus_one;
            const int32_t shifted_sum_minus_one = (int32_t)(((uint32_t)sum << headroom_plus_one) - UINT32_C(0x80000000));
            const int32_t scale = tg_fp_one_over_one_plus_x(shifted_sum_minus_one);
            const int32_t exponent = bits_over_unit + p->output_shift;
            for (int32_t k = 0; k < p->length; k++) {
                const int32_t e = cached ? exps[k] : exp_of_difference(p, x[k * p->inner] - max);
                int32_t v = empty;
                if (e >= 0) {
                    int32_t probability = TG_FP_MUL(scale, e);
                    if (p->output_multiplier != 0) {
                        probability = TG_FP_MUL(probability, p->output_multiplier);
                    }
                    const int64_t unsat = exponent > 31 ? 0 : tg_rounding_divide_by_pot(probability, exponent);
                    const int64_t sum_zp = unsat + p->zero_point;
                    v = (int32_t)(sum_zp < lo ? lo : (sum_zp > hi ? hi : sum_zp));
                }
                if (out16) {
                    out16[offset + k * p->inner] = (int16_t)v;
                } else {
                    out8[offset + k * p->inner] = (int8_t)v;
                }
            }
        }
    }
}

void tg_softmax_tflite_s8(const tg_softmax_tflite_t *p, const int8_t *input, int8_t *output)
{
    softmax_tflite(p, input, output, NULL);
}

void tg_softmax_tflite_s8_s16(const tg_softmax_tflite_t *p, const int8_t *input, int16_t *output)
{
    softmax_tflite(p, input, NULL, output);
}
