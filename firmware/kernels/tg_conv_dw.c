/* The kernel library's tg_conv_dw_s8_<mode> (the body is in tg_conv_dw.h). */
#include "tg_conv_dw.h"

void tg_conv_dw_s8_tflite(const tg_conv_dw_t *p, const int8_t *input, int8_t *output)
{
    tg_conv_dw_body(p, input, output, TG_ROUND_TFLITE);
}

void tg_conv_dw_s8_onnx(const tg_conv_dw_t *p, const int8_t *input, int8_t *output)
{
    tg_conv_dw_body(p, input, output, TG_ROUND_ONNX);
}
