/* The kernel library's tg_conv_dense_s8_<mode> (the body is in tg_conv_dense.h). */
#include "tg_conv_dense.h"

void tg_conv_dense_s8_tflite(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch)
{
    tg_conv_dense_body(p, input, output, patch, TG_ROUND_TFLITE);
}

void tg_conv_dense_s8_onnx(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch)
{
    tg_conv_dense_body(p, input, output, patch, TG_ROUND_ONNX);
}
