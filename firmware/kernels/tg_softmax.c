/*
 * QLinearSoftmax (src/ops/qlinear-softmax): each row is `length` elements `inner` apart, with
 * outer x inner rows. Two kernels, one per rounding mode:
 *  - onnx: ONNX Runtime's QLinearSoftmax, in float32 with a table of exps;
 *  - tflite: TFLM's int8 SOFTMAX in gemmlowp fixed point, integer-only.
 */
#include <float.h>
#include "tinygen_kernels.h"

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

/* ---- gemmlowp fixed point (src/ops/qlinear-softmax/gemmlowp.ts is the TypeScript twin) ---- */

static int32_t add_wrap(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static int32_t sub_wrap(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* x * 2^exponent (exponent in 1..30), saturating. */
static int32_t saturating_shift_left(int32_t x, int32_t exponent)
{
    const int32_t threshold = (int32_t)((INT32_C(1) << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

#define SRDHM tg_saturating_rounding_doubling_high_mul

/* exp(a) for a Q0.31 a in [-1/4, 0). */
static int32_t exp_on_interval(int32_t a)
{
    const int32_t exp_minus_one_eighth = 1895147668;
    const int32_t one_third = 715827883;
    const int32_t x = add_wrap(a, INT32_C(1) << 28);
    const int32_t x2 = SRDHM(x, x);
    const int32_t x3 = SRDHM(x2, x);
    const int32_t x4 = SRDHM(x2, x2);
    const int32_t x4_over_4 = tg_rounding_divide_by_pot(x4, 2);
    const int32_t poly = tg_rounding_divide_by_pot(add_wrap(SRDHM(add_wrap(x4_over_4, x3), one_third), x2), 1);
    return add_wrap(exp_minus_one_eighth, SRDHM(exp_minus_one_eighth, add_wrap(x, poly)));
}

/* exp(a) in Q0.31 for a Q5.26 a <= 0. */
static int32_t exp_on_negative_values(int32_t a)
{
    static const int32_t factors[7] = { 1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242 };
    const int32_t quarter = INT32_C(1) << 24;
    const int32_t a_mod_quarter_minus_quarter = sub_wrap(a & (quarter - 1), quarter);
    int32_t result = exp_on_interval(saturating_shift_left(a_mod_quarter_minus_quarter, 5));
    const int32_t remainder = sub_wrap(a_mod_quarter_minus_quarter, a);
    for (int32_t k = 0; k < 7; k++) {
        if (remainder & (INT32_C(1) << (24 + k))) {
            result = SRDHM(result, factors[k]);
        }
    }
    return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + a) in Q0.31 for a Q0.31 a in [0, 1). */
static int32_t one_over_one_plus_x(int32_t a)
{
    const int64_t sum = (int64_t)a + INT32_MAX;
    const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    const int32_t one = INT32_C(1) << 29; /* Q2.29 */
    int32_t x = add_wrap(1515870810, SRDHM(half_denominator, -1010580540));
    for (int32_t i = 0; i < 3; i++) {
        const int32_t half_denominator_times_x = SRDHM(half_denominator, x);
        x = add_wrap(x, saturating_shift_left(SRDHM(x, sub_wrap(one, half_denominator_times_x)), 2));
    }
    return saturating_shift_left(x, 1);
}

static int32_t leading_zeros(uint32_t x)
{
    int32_t n = 0;
    while (n < 32 && !(x & UINT32_C(0x80000000))) {
        x <<= 1;
        n++;
    }
    return n;
}

/* exp(x - max) in Q0.31, or -1 when the difference is below diff_min. */
static int32_t exp_of_difference(const tg_softmax_tflite_t *p, int32_t diff)
{
    if (diff < p->diff_min) {
        return -1;
    }
    /* |diff| * 2^shift stays below 31 * 2^26 by the choice of diff_min. */
    const int32_t shifted = (int32_t)((uint32_t)diff << p->input_left_shift);
    return exp_on_negative_values(SRDHM(shifted, p->input_multiplier));
}

void tg_softmax_tflite_s8(const tg_softmax_tflite_t *p, const int8_t *input, int8_t *output)
{
    const int32_t empty = tg_clamp_i32(p->zero_point, -128, 127);
    for (int32_t o = 0; o < p->outer; o++) {
        for (int32_t i = 0; i < p->inner; i++) {
            const int32_t offset = o * p->length * p->inner + i;
            const int8_t *x = input + offset;
            int8_t *y = output + offset;
            const int32_t max = row_max(x, p->inner, p->length);
            int32_t sum = 0; /* Q12.19 */
            for (int32_t k = 0; k < p->length; k++) {
                const int32_t e = exp_of_difference(p, x[k * p->inner] - max);
                if (e >= 0) {
                    sum = add_wrap(sum, tg_rounding_divide_by_pot(e, 12));
                }
            }
            const int32_t headroom_plus_one = leading_zeros((uint32_t)sum);
            const int32_t bits_over_unit = 12 - headroom_plus_one;
            const int32_t shifted_sum_minus_one = (int32_t)(((uint32_t)sum << headroom_plus_one) - UINT32_C(0x80000000));
            const int32_t scale = one_over_one_plus_x(shifted_sum_minus_one);
            const int32_t exponent = bits_over_unit + p->output_shift;
            for (int32_t k = 0; k < p->length; k++) {
                const int32_t e = exp_of_difference(p, x[k * p->inner] - max);
                if (e < 0) {
                    y[k * p->inner] = (int8_t)empty;
                    continue;
                }
                int32_t probability = SRDHM(scale, e);
                if (p->output_multiplier != 0) {
                    probability = SRDHM(probability, p->output_multiplier);
                }
                const int64_t unsat = exponent > 31 ? 0 : tg_rounding_divide_by_pot(probability, exponent);
                const int64_t v = unsat + p->zero_point;
                y[k * p->inner] = (int8_t)(v < -128 ? -128 : (v > 127 ? 127 : v));
            }
        }
    }
}
