/*
 * TFLiteLeakyRelu (src/ops/tflite-leaky-relu): the arithmetic of TFLM's
 * reference_ops::QuantizeLeakyRelu with double rounding: x - zp times the identity multiplier
 * when non-negative, the alpha multiplier otherwise, + the output zero point; int8 and int16.
 */
#include "tinygen_kernels.h"
#include "tg_requant.h"

void tg_tflite_leaky_relu_s8(const tg_tflite_leaky_relu_t *p, const int8_t *input, int8_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) {
        const int32_t x = (int32_t)input[i] - p->input_zero_point;
        const int32_t y = x >= 0 ? tg_requant_tflite(x, p->identity_multiplier, p->identity_shift, p->output_zero_point, INT8_MIN, INT8_MAX)
                                 : tg_requant_tflite(x, p->alpha_multiplier, p->alpha_shift, p->output_zero_point, INT8_MIN, INT8_MAX);
        output[i] = (int8_t)y;
    }
}

void tg_tflite_leaky_relu_s16(const tg_tflite_leaky_relu_t *p, const int16_t *input, int16_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) {
        const int32_t x = (int32_t)input[i] - p->input_zero_point;
        const int32_t y = x >= 0 ? tg_requant_tflite(x, p->identity_multiplier, p->identity_shift, p->output_zero_point, INT16_MIN, INT16_MAX)
                                 : tg_requant_tflite(x, p->alpha_multiplier, p->alpha_shift, p->output_zero_point, INT16_MIN, INT16_MAX);
        output[i] = (int16_t)y;
    }
}
