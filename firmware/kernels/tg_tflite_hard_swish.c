/*
 * TFLiteHardSwish (src/ops/tflite-hard-swish): the int16 arithmetic of TFLM's
 * reference_ops::HardSwish for int8, step by step; src/ops/tflite-hard-swish/reference.ts is
 * its TypeScript twin. The compiler guarantees exponents with |right shift| <= 15 and a reluish
 * left shift of at most 31.
 */
#include "tinygen_kernels.h"
#include "tg_requant.h"

enum { HIRES_SHIFT = 7 };

/* gemmlowp's SaturatingRoundingDoublingHighMul on int16. */
static int16_t srdhm16(int16_t a, int16_t b)
{
    if (a == INT16_MIN && b == INT16_MIN) {
        return INT16_MAX;
    }
    const int32_t product = (int32_t)a * (int32_t)b;
    const int32_t nudge = product >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (int16_t)((product + nudge) / (1 << 15));
}

/* TFLM's SaturatingDoublingHighMul: as above but truncating, which cancels the rounding bias of srdhm16. */
static int16_t sdhm16(int16_t a, int16_t b)
{
    if (a == INT16_MIN && b == INT16_MIN) {
        return INT16_MAX;
    }
    return (int16_t)(((int32_t)a * (int32_t)b) / (1 << 15));
}

static int16_t saturating_left_shift16(int16_t value, int32_t amount)
{
    const int64_t shifted = (int64_t)value * ((int64_t)1 << amount);
    return (int16_t)(shifted > INT16_MAX ? INT16_MAX : (shifted < INT16_MIN ? INT16_MIN : shifted));
}

void tg_tflite_hard_swish_s8(const tg_tflite_hard_swish_t *p, const int8_t *input, int8_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) {
        /* |x - zp| <= 255, so the hires value fits int16. */
        const int16_t hires = (int16_t)(((int32_t)input[i] - p->input_zero_point) * (1 << HIRES_SHIFT));
        const int16_t preshift_output_scale = srdhm16(hires, (int16_t)p->output_multiplier);
        /* Real 3 becomes 2^15; a left shift is split so that only its last bit saturates. */
        int16_t reluish = hires;
        if (p->reluish_exponent > 0) {
            reluish = saturating_left_shift16(reluish, p->reluish_exponent - 1);
        }
        reluish = srdhm16(reluish, (int16_t)p->reluish_multiplier);
        if (p->reluish_exponent > 0) {
            reluish = saturating_left_shift16(reluish, 1);
        }
        if (p->reluish_exponent < 0) {
            reluish = (int16_t)tg_rounding_divide_by_pot(reluish, -p->reluish_exponent);
        }
        /* [-1, 1] to [0, 1]. */
        reluish = (int16_t)(((int32_t)reluish + (1 << 15)) >> 1);
        const int16_t preshift_output = sdhm16(reluish, preshift_output_scale);
        const int32_t y = tg_rounding_divide_by_pot(preshift_output, -p->output_exponent) + p->output_zero_point;
        output[i] = (int8_t)tg_clamp_i32(y, INT8_MIN, INT8_MAX);
    }
}
