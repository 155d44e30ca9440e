#include "tinygen_kernels.h"

void tg_maxpool2d_s8(const tg_window_t *w, const int8_t *input, int8_t *output)
{
    for (int32_t b = 0; b < w->batch; b++) {
        const int8_t *in_image = input + b * w->in_h * w->in_w * w->in_c;
        for (int32_t oy = 0; oy < w->out_h; oy++) {
            for (int32_t ox = 0; ox < w->out_w; ox++) {
                const int32_t y0 = oy * w->stride_h - w->pad_top;
                const int32_t x0 = ox * w->stride_w - w->pad_left;
                for (int32_t c = 0; c < w->in_c; c++) {
                    int32_t best = INT8_MIN;
                    for (int32_t ky = 0; ky < w->k_h; ky++) {
                        const int32_t iy = y0 + ky * w->dil_h;
                        if (iy < 0 || iy >= w->in_h) {
                            continue;
                        }
                        for (int32_t kx = 0; kx < w->k_w; kx++) {
                            const int32_t ix = x0 + kx * w->dil_w;
                            if (ix < 0 || ix >= w->in_w) {
                                continue;
                            }
                            const int32_t v = in_image[(iy * w->in_w + ix) * w->in_c + c];
                            best = v > best ? v : best;
                        }
                    }
                    *output++ = (int8_t)best;
                }
            }
        }
    }
}

/*
 * TFLM's int16 MAX_POOL_2D: the maximum starts from the type's minimum, so padding never wins,
 * and the fused activation's range clamps the result.
 */
void tg_maxpool2d_s16(const tg_window_t *w, int32_t act_min, int32_t act_max, const int16_t *input, int16_t *output)
{
    for (int32_t b = 0; b < w->batch; b++) {
        const int16_t *in_image = input + b * w->in_h * w->in_w * w->in_c;
        for (int32_t oy = 0; oy < w->out_h; oy++) {
            for (int32_t ox = 0; ox < w->out_w; ox++) {
                const int32_t y0 = oy * w->stride_h - w->pad_top;
                const int32_t x0 = ox * w->stride_w - w->pad_left;
                for (int32_t c = 0; c < w->in_c; c++) {
                    int32_t best = INT16_MIN;
                    for (int32_t ky = 0; ky < w->k_h; ky++) {
                        const int32_t iy = y0 + ky * w->dil_h;
                        if (iy < 0 || iy >= w->in_h) {
                            continue;
                        }
                        for (int32_t kx = 0; kx < w->k_w; kx++) {
                            const int32_t ix = x0 + kx * w->dil_w;
                            if (ix < 0 || ix >= w->in_w) {
                                continue;
                            }
                            const int32_t v = in_image[(iy * w->in_w + ix) * w->in_c + c];
                            best = v > best ? v : best;
                        }
                    }
                    *output++ = (int16_t)tg_clamp_i32(best, act_min, act_max);
                }
            }
        }
    }
}
