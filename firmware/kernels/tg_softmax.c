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

void tg_softmax_tflite_s8(const tg_softmax_tflite_t *p, const int8_t *input, int8_t *output)
{
    const int32_t empty = tg_clamp_i32(p->zero_point, -128, 127);
    const int32_t cached = p->length <= TG_SOFTMAX_CACHED;
    int32_t exps[TG_SOFTMAX_CACHED];
    for (int32_t o = 0; o < p->outer; o++) {
        for (int32_t i = 0; i < p->inner; i++) {
            const int32_t offset = o * p->length * p->inner + i;
            const int8_t *x = input + offset;
            int8_t *y = output + offset;
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
                if (e < 0) {
                    y[k * p->inner] = (int8_t)empty;
                    continue;
                }
                int32_t probability = TG_FP_MUL(scale, e);
                if (p->output_multiplier != 0) {
                    probability = TG_FP_MUL(probability, p->output_multiplier);
                }
                const int64_t unsat = exponent > 31 ? 0 : tg_rounding_divide_by_pot(probability, exponent);
                const int64_t v = unsat + p->zero_point;
                y[k * p->inner] = (int8_t)(v < -128 ? -128 : (v > 127 ? 127 : v));
            }
        }
    }
}
