/*
 * Conv16x8 (src/ops/conv-16x8): TFLM's 16x8 convolution on NHWC tensors, int16 activations, int8
 * weights. tg_conv_s16 takes any grouping (depthwise included); tg_conv_s16_dense (tg_conv_s16.h)
 * the common one-group layers, fast. No zero points (16x8 quantization has none). With an int64 bias
 * or none, the sum is int64 and requantized by tg_mbqm_s64 (TFLM's int64 path); with an int32
 * bias the sum is int32, wrapping, and requantized by tg_requant_tflite (the int32 path).
 *
 * The sums are exact (tg_dot_s16_s8); the int32 path's wrapped sum is their low 32 bits
 * (tg_conv_s16_out).
 */
#include <string.h>

#include "tinygen_kernels.h"
#include "tg_requant.h"
#include "tg_conv_s16.h"

void tg_conv_s16(const tg_conv_s16_t *p, const int16_t *input, int16_t *output)
{
    const tg_window_t *g = &p->win;
    const int32_t in_per_group = g->in_c / p->groups;
    const int32_t out_per_group = g->out_c / p->groups;
    int16_t *y = output;
    for (int32_t b = 0; b < g->batch; b++) {
        const int16_t *image = input + b * g->in_h * g->in_w * g->in_c;
        for (int32_t oy = 0; oy < g->out_h; oy++) {
            for (int32_t ox = 0; ox < g->out_w; ox++) {
                for (int32_t oc = 0; oc < g->out_c; oc++) {
                    const int32_t first_in = (oc / out_per_group) * in_per_group;
                    int64_t acc = 0;
                    for (int32_t ky = 0; ky < g->k_h; ky++) {
                        const int32_t iy = oy * g->stride_h - g->pad_top + ky * g->dil_h;
                        if (iy < 0 || iy >= g->in_h) continue;
                        for (int32_t kx = 0; kx < g->k_w; kx++) {
                            const int32_t ix = ox * g->stride_w - g->pad_left + kx * g->dil_w;
                            if (ix < 0 || ix >= g->in_w) continue;
                            const int16_t *x = image + (iy * g->in_w + ix) * g->in_c + first_in;
                            if (p->depthwise_weights) {
                                acc += (int32_t)x[0] * (int32_t)p->weights[(ky * g->k_w + kx) * g->out_c + oc];
                                continue;
                            }
                            acc += tg_dot_s16_s8(x, p->weights + ((oc * g->k_h + ky) * g->k_w + kx) * in_per_group, in_per_group);
                        }
                    }
                    *y++ = tg_conv_s16_out(p, oc, acc);
                }
            }
        }
    }
}

/* The dense form's library function (the body, in tg_conv_s16.h, is what generated code specialises). */
void tg_conv_s16_dense(const tg_conv_s16_t *p, const int16_t *input, int16_t *output, int16_t *patches)
{
    tg_conv_s16_dense_body(p, input, output, patches);
}
