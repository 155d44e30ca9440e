#include "tinygen_kernels.h"

/*
 * One window walk for both types: int8 (out8) or int16 (out16, TFLM's MAX_POOL_2D with its
 * fused activation's range), the one that is not NULL. The maximum starts from the type's
 * minimum, so padding never wins. The wrappers pass constants, so each compiles to one type.
 */
static inline __attribute__((always_inline)) void tg_maxpool2d(const tg_window_t *w, const int8_t *in8, const int16_t *in16, int8_t *out8, int16_t *out16, int32_t act_min, int32_t act_max)
{
    for (int32_t b = 0; b < w->batch; b++) {
        const int32_t image = b * w->in_h * w->in_w * w->in_c;
        for (int32_t oy = 0; oy < w->out_h; oy++) {
            for (int32_t ox = 0; ox < w->out_w; ox++) {
                const int32_t y0 = oy * w->stride_h - w->pad_top;
                const int32_t x0 = ox * w->stride_w - w->pad_left;
                for (int32_t c = 0; c < w->in_c; c++) {
                    int32_t best = in16 ? INT16_MIN : INT8_MIN;
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
                            const int32_t at = image + (iy * w->in_w + ix) * w->in_c + c;
                            const int32_t v = in16 ? in16[at] : in8[at];
                            best = v > best ? v : best;
                        }
                    }
                    if (out16) {
                        *out16++ = (int16_t)tg_clamp_i32(best, act_min, act_max);
                    } else {
                        *out8++ = (int8_t)best;
                    }
                }
            }
        }
    }
}

void tg_maxpool2d_s8(const tg_window_t *w, const int8_t *input, int8_t *output)
{
    tg_maxpool2d(w, input, NULL, output, NULL, INT8_MIN, INT8_MAX);
}

void tg_maxpool2d_s16(const tg_window_t *w, int32_t act_min, int32_t act_max, const int16_t *input, int16_t *output)
{
    tg_maxpool2d(w, NULL, input, NULL, output, act_min, act_max);
}
