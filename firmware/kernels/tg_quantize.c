#include "tinygen_kernels.h"

void tg_quantize_f32_s8(const tg_affine_t *q, const float *input, int8_t *output)
{
    for (int32_t o = 0; o < q->outer; o++) {
        for (int32_t a = 0; a < q->axis; a++) {
            const float scale = q->scale[a];
            const int32_t zp = q->zero_point[a];
            const float lo = (float)(-128 - zp);
            const float hi = (float)(127 - zp);
            for (int32_t i = 0; i < q->inner; i++) {
                float v = *input++ / scale;
                /* NaN fails both tests and would reach the cast: send it to zero like ONNX Runtime. */
                v = v != v ? 0.0f : (v < lo ? lo : (v > hi ? hi : v));
                *output++ = (int8_t)(tg_round_half_even_f32(v) + zp);
            }
        }
    }
}

void tg_dequantize_s8_f32(const tg_affine_t *q, const int8_t *input, float *output)
{
    for (int32_t o = 0; o < q->outer; o++) {
        for (int32_t a = 0; a < q->axis; a++) {
            const float scale = q->scale[a];
            const int32_t zp = q->zero_point[a];
            for (int32_t i = 0; i < q->inner; i++) {
                *output++ = (float)((int32_t)*input++ - zp) * scale;
            }
        }
    }
}
