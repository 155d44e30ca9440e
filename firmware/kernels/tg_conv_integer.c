#include "tg_conv_sum.h"

/* Grouped convolution to int32 accumulators (ConvInteger). */
void tg_conv2d_s8_s32(const tg_conv_integer_t *p, const int8_t *input, int32_t *output)
{
    const tg_window_t *w = &p->win;
    for (int32_t b = 0; b < w->batch; b++) {
        const int8_t *in_image = input + b * w->in_h * w->in_w * w->in_c;
        for (int32_t oy = 0; oy < w->out_h; oy++) {
            for (int32_t ox = 0; ox < w->out_w; ox++) {
                for (int32_t oc = 0; oc < w->out_c; oc++) {
                    *output++ = (int32_t)tg_conv_sum(w, p->groups, p->in_zero_point, p->weights, p->weight_zero_points, in_image, oy, ox, oc);
                }
            }
        }
    }
}
