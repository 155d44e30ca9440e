/* The pointwise kernel of the library (the body is in tg_conv_1x1.h), one function per rounding mode. */
#include "tg_conv_1x1.h"

void tg_conv_1x1_s8_tflite(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output)
{
    tg_conv_1x1_body(p, input, output, TG_ROUND_TFLITE);
}

void tg_conv_1x1_s8_onnx(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output)
{
    tg_conv_1x1_body(p, input, output, TG_ROUND_ONNX);
}

void tg_conv_1x1_in_place_s8_tflite(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output, int8_t *temp)
{
    tg_conv_1x1_in_place_body(p, input, output, temp, TG_ROUND_TFLITE);
}

void tg_conv_1x1_in_place_s8_onnx(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output, int8_t *temp)
{
    tg_conv_1x1_in_place_body(p, input, output, temp, TG_ROUND_ONNX);
}
