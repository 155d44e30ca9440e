#include "tinygen_kernels.h"

/* Half away from zero (TFLM's TfLiteRound). For |v| <= 65535, v - (float)(int32_t)v is exact;
 * adding 0.5f instead would round wrongly just below a tie. */
static int32_t round_ties_away_f32(float v)
{
    const int32_t toward_zero = (int32_t)v;
    const float fraction = v - (float)toward_zero;
    return toward_zero + (fraction >= 0.5f ? 1 : (fraction <= -0.5f ? -1 : 0));
}

static void quantize_f32_s8(const tg_affine_t *q, const float *input, int8_t *output, int ties_away)
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
                *output++ = (int8_t)((ties_away ? round_ties_away_f32(v) : tg_round_half_even_f32(v)) + zp);
            }
        }
    }
}

void tg_quantize_f32_s8(const tg_affine_t *q, const float *input, int8_t *output)
{
    quantize_f32_s8(q, input, output, 0);
}

/* TFLM's AffineQuantize: the clamp before rounding changes nothing, rounding being monotonic. */
void tg_quantize_f32_s8_ties_away(const tg_affine_t *q, const float *input, int8_t *output)
{
    quantize_f32_s8(q, input, output, 1);
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

/* int16 outputs (16x8 models): the same steps with int16's bounds. */
static void quantize_f32_s16(const tg_affine_t *q, const float *input, int16_t *output, int ties_away)
{
    for (int32_t o = 0; o < q->outer; o++) {
        for (int32_t a = 0; a < q->axis; a++) {
            const float scale = q->scale[a];
            const int32_t zp = q->zero_point[a];
            const float lo = (float)(-32768 - zp);
            const float hi = (float)(32767 - zp);
            for (int32_t i = 0; i < q->inner; i++) {
                float v = *input++ / scale;
                v = v != v ? 0.0f : (v < lo ? lo : (v > hi ? hi : v));
                *output++ = (int16_t)((ties_away ? round_ties_away_f32(v) : tg_round_half_even_f32(v)) + zp);
            }
        }
    }
}

void tg_quantize_f32_s16(const tg_affine_t *q, const float *input, int16_t *output)
{
    quantize_f32_s16(q, input, output, 0);
}

void tg_quantize_f32_s16_ties_away(const tg_affine_t *q, const float *input, int16_t *output)
{
    quantize_f32_s16(q, input, output, 1);
}

/* (x - zp) has at most 17 bits, so the float product rounds the exact one once, as TFLM's double product narrowed to float does. */
void tg_dequantize_s16_f32(const tg_affine_t *q, const int16_t *input, float *output)
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
