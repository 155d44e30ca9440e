/*
 * The convolution sum of one output element, tap by tap, for tg_conv2d_s8_s32 (ConvInteger); its
 * TypeScript twin is src/ops/common/conv-accumulate.ts. tg_conv2d_s8 (QLinearConv) computes the
 * same sums from a gathered patch.
 */
#ifndef TG_CONV_SUM_H
#define TG_CONV_SUM_H

#include "tinygen_kernels.h"

/*
 * sum (x - zx)(w - zw) over the in-bounds taps of output (oy, ox, oc) of one NHWC image; padding
 * holds the input zero point, so it contributes nothing. The sum runs in uint32 so that it wraps
 * modulo 2^32, as the reference's int32 does, without C's signed-overflow UB.
 */
static inline uint32_t tg_conv_sum(const tg_window_t *w, int32_t groups, int32_t in_zero_point, const int8_t *weights,
                                   const int32_t *weight_zero_points, const int8_t *in_image, int32_t oy, int32_t ox, int32_t oc)
{
    const int32_t in_per_group = w->in_c / groups;
    const int32_t first_in = (oc / (w->out_c / groups)) * in_per_group;
    const int8_t *filter = weights + oc * w->k_h * w->k_w * in_per_group;
    const int32_t wzp = weight_zero_points ? weight_zero_points[oc] : 0;
    const int32_t y0 = oy * w->stride_h - w->pad_top;
    const int32_t x0 = ox * w->stride_w - w->pad_left;
    uint32_t acc = 0u;
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
            const int8_t *pixel = in_image + (iy * w->in_w + ix) * w->in_c + first_in;
            const int8_t *taps = filter + (ky * w->k_w + kx) * in_per_group;
            for (int32_t ic = 0; ic < in_per_group; ic++) {
                acc += (uint32_t)(((int32_t)pixel[ic] - in_zero_point) * ((int32_t)taps[ic] - wzp));
            }
        }
    }
    return acc;
}

#endif /* TG_CONV_SUM_H */
