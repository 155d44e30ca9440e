#include "tinygen_kernels.h"

/*
 * Grouped convolution to int32 accumulators (ConvInteger). Padding holds the input zero point,
 * so it contributes nothing. The sum runs in uint32 so that it wraps modulo 2^32 as the
 * reference's int32 does, without C's signed-overflow UB.
 */
void tg_conv2d_s8_s32(const tg_conv_integer_t *p, const int8_t *input, int32_t *output)
{
    const tg_window_t *w = &p->win;
    const int32_t in_per_group = w->in_c / p->groups;
    const int32_t out_per_group = w->out_c / p->groups;
    const int32_t weights_per_out = w->k_h * w->k_w * in_per_group;
    for (int32_t b = 0; b < w->batch; b++) {
        const int8_t *in_image = input + b * w->in_h * w->in_w * w->in_c;
        for (int32_t oy = 0; oy < w->out_h; oy++) {
            for (int32_t ox = 0; ox < w->out_w; ox++) {
                const int32_t y0 = oy * w->stride_h - w->pad_top;
                const int32_t x0 = ox * w->stride_w - w->pad_left;
                for (int32_t oc = 0; oc < w->out_c; oc++) {
                    const int32_t first_in = (oc / out_per_group) * in_per_group;
                    const int8_t *filter = p->weights + oc * weights_per_out;
                    const int32_t wzp = p->weight_zero_points ? p->weight_zero_points[oc] : 0;
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
                                acc += (uint32_t)(((int32_t)pixel[ic] - p->in_zero_point) * ((int32_t)taps[ic] - wzp));
                            }
                        }
                    }
                    *output++ = (int32_t)acc;
                }
            }
        }
    }
}
