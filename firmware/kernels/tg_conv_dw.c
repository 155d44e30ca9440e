/* The kernel library's tg_conv_dw_s8_<mode> and tg_conv_dw_in_place_s8_<mode> (the bodies are in tg_conv_dw.h). */
#include "tg_conv_dw.h"

void tg_conv_dw_s8_tflite(const tg_conv_dw_t *p, const int8_t *input, int8_t *output)
{
    tg_conv_dw_body(p, input, output, TG_ROUND_TFLITE);
}

void tg_conv_dw_s8_onnx(const tg_conv_dw_t *p, const int8_t *input, int8_t *output)
{
    tg_conv_dw_body(p, input, output, TG_ROUND_ONNX);
}

void tg_conv_dw_in_place_s8_tflite(const tg_conv_dw_t *p, const int8_t *input, int8_t *output, int8_t *ring, int32_t ring_rows)
{
    tg_conv_dw_in_place_body(p, input, output, ring, ring_rows, TG_ROUND_TFLITE);
}

void tg_conv_dw_in_place_s8_onnx(const tg_conv_dw_t *p, const int8_t *input, int8_t *output, int8_t *ring, int32_t ring_rows)
{
    tg_conv_dw_in_place_body(p, input, output, ring, ring_rows, TG_ROUND_ONNX);
}
