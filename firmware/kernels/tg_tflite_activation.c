/*
 * TFLiteLogistic and TFLiteTanh (src/ops/tflite-activation): the arithmetic of TFLM's
 * reference_integer_ops::Logistic and ::Tanh for int8. Inside the input radius, x - zp goes
 * to Q4.27 by a Q31 multiplier, through gemmlowp's logistic or tanh to Q0.31, then to the output
 * by a rounding shift; outside it, the output saturates without arithmetic.
 */
#include "tinygen_kernels.h"
#include "tg_fixed_point.h"

enum { INPUT_INTEGER_BITS = 4 };

/* q4: x - zp in Q4.27, or the saturated output when |x - zp| reaches the radius (*saturated set). */
static int32_t input_to_q4(const tg_tflite_activation_t *p, int8_t x, int8_t *saturated)
{
    const int32_t input = (int32_t)x - p->input_zero_point;
    if (input <= -p->input_range_radius) {
        *saturated = INT8_MIN;
        return 0;
    }
    if (input >= p->input_range_radius) {
        *saturated = INT8_MAX;
        return 0;
    }
    /* Inside the radius the left shift is at most 30 and |input| << shift stays below 2^31. */
    return tg_requant_tflite(input, p->input_multiplier, p->input_left_shift, 0, INT32_MIN, INT32_MAX);
}

void tg_tflite_logistic_s8(const tg_tflite_activation_t *p, const int8_t *input, int8_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) {
        int8_t saturated = 0;
        const int32_t q4 = input_to_q4(p, input[i], &saturated);
        if (saturated != 0) {
            output[i] = saturated;
            continue;
        }
        /* Q0.31 probability to units of 1/256, then the zero point -128. */
        const int32_t v = tg_rounding_divide_by_pot(tg_fp_logistic(q4, INPUT_INTEGER_BITS), 23) - 128;
        output[i] = (int8_t)tg_clamp_i32(v, INT8_MIN, INT8_MAX);
    }
}

void tg_tflite_tanh_s8(const tg_tflite_activation_t *p, const int8_t *input, int8_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) {
        int8_t saturated = 0;
        const int32_t q4 = input_to_q4(p, input[i], &saturated);
        if (saturated != 0) {
            output[i] = saturated;
            continue;
        }
        /* Q0.31 to units of 1/128, zero point 0. */
        const int32_t v = tg_rounding_divide_by_pot(tg_fp_tanh(q4, INPUT_INTEGER_BITS), 24);
        output[i] = (int8_t)tg_clamp_i32(v, INT8_MIN, INT8_MAX);
    }
}
