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

void tg_matmul_accumulate_s8(const tg_conv_1x1_t *p, const int8_t *x, int32_t offset, int32_t count, int32_t *sums)
{
    tg_matmul_accumulate_body(p, x, offset, count, sums);
}

void tg_matmul_finish_s8_tflite(const tg_conv_1x1_t *p, const int32_t *sums, int8_t *y)
{
    tg_matmul_finish_body(p, sums, y, TG_ROUND_TFLITE);
}

void tg_matmul_finish_s8_onnx(const tg_conv_1x1_t *p, const int32_t *sums, int8_t *y)
{
    tg_matmul_finish_body(p, sums, y, TG_ROUND_ONNX);
}
