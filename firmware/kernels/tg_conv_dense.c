/* The kernel library's tg_conv_dense_s8_<mode> and tg_conv_dense_in_place_s8_<mode> (the bodies are in tg_conv_dense.h). */
#include "tg_conv_dense.h"

void tg_conv_dense_s8_tflite(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch)
{
    tg_conv_dense_body(p, input, output, patch, TG_ROUND_TFLITE);
}

void tg_conv_dense_s8_onnx(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch)
{
    tg_conv_dense_body(p, input, output, patch, TG_ROUND_ONNX);
}

void tg_conv_dense_in_place_s8_tflite(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch, int8_t *ring, int32_t ring_rows)
{
    tg_conv_dense_in_place_body(p, input, output, patch, ring, ring_rows, TG_ROUND_TFLITE);
}

void tg_conv_dense_in_place_s8_onnx(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch, int8_t *ring, int32_t ring_rows)
{
    tg_conv_dense_in_place_body(p, input, output, patch, ring, ring_rows, TG_ROUND_ONNX);
}
