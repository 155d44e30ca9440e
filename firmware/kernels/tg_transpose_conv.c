/*
 * TFLiteTransposeConv (src/ops/tflite-transpose-conv): TFLM's TRANSPOSE_CONV, int8 and 16x8.
 *
 * TFLM scatters each input element over an output-sized scratch buffer and requantizes it
 * afterwards. This gathers instead: each output element sums the (input pixel, tap) pairs that
 * land on it, so no scratch memory is needed. The sums are the same: the 16x8 ones are exact in
 * int64 (the compiler bounds them below 2^47), and the int8 ones are taken modulo 2^32 in uint32,
 * which is what TFLM's wrapping int32 scratch holds whatever the order of the additions.
 *
 * Output row oy takes input row iy through tap ky = oy + pad_top - iy * stride_h when
 * 0 <= ky < k_h, i.e. for iy from ceil((oy + pad_top - k_h + 1) / stride_h) to
 * floor((oy + pad_top) / stride_h), within the input. Likewise for columns. The filter is OHWI, so
 * for one (pixel, tap) the input channels of both operands are contiguous.
 */
#include "tinygen_kernels.h"
#include "tg_requant.h"
#include "tg_conv_s16.h"

/* The input rows (or columns) that reach output position o: [*first, *last], empty when first > last. */
static void tg_tconv_sources(int32_t o, int32_t pad, int32_t k, int32_t stride, int32_t in, int32_t *first, int32_t *last)
{
    const int32_t top = o + pad; /* >= 0 */
    const int32_t low = top - (k - 1);
    *first = low <= 0 ? 0 : (low + stride - 1) / stride;
    const int32_t high = top / stride;
    *last = high < in - 1 ? high : in - 1;
}

void tg_transpose_conv_s8_c(const tg_transpose_conv_t *p, const int8_t *input, int8_t *output)
{
    const tg_window_t *g = &p->win;
    const int32_t zx = p->input_zero_point;
    int8_t *y = output;
    for (int32_t b = 0; b < g->batch; b++) {
        const int8_t *image = input + b * g->in_h * g->in_w * g->in_c;
        for (int32_t oy = 0; oy < g->out_h; oy++) {
            int32_t iy0, iy1;
            tg_tconv_sources(oy, g->pad_top, g->k_h, g->stride_h, g->in_h, &iy0, &iy1);
            for (int32_t ox = 0; ox < g->out_w; ox++) {
                int32_t ix0, ix1;
                tg_tconv_sources(ox, g->pad_left, g->k_w, g->stride_w, g->in_w, &ix0, &ix1);
                for (int32_t oc = 0; oc < g->out_c; oc++) {
                    uint32_t acc = 0; /* wraps like TFLM's int32 scratch, without signed overflow */
                    for (int32_t iy = iy0; iy <= iy1; iy++) {
                        const int32_t ky = oy + g->pad_top - iy * g->stride_h;
                        for (int32_t ix = ix0; ix <= ix1; ix++) {
                            const int32_t kx = ox + g->pad_left - ix * g->stride_w;
                            const int8_t *x = image + (iy * g->in_w + ix) * g->in_c;
                            const int8_t *w = p->weights + ((oc * g->k_h + ky) * g->k_w + kx) * g->in_c;
                            for (int32_t c = 0; c < g->in_c; c++) acc += (uint32_t)(((int32_t)x[c] - zx) * (int32_t)w[c]);
                        }
                    }
                    if (p->bias32 != NULL) acc += (uint32_t)p->bias32[oc];
                    *y++ = (int8_t)tg_requant_tflite((int32_t)acc, p->multiplier[oc], p->shift[oc], p->output_zero_point, p->act_min, p->act_max);
                }
            }
        }
    }
}

void tg_transpose_conv_s16_c(const tg_transpose_conv_t *p, const int16_t *input, int16_t *output)
{
    const tg_window_t *g = &p->win;
    int16_t *y = output;
    for (int32_t b = 0; b < g->batch; b++) {
        const int16_t *image = input + b * g->in_h * g->in_w * g->in_c;
        for (int32_t oy = 0; oy < g->out_h; oy++) {
            int32_t iy0, iy1;
            tg_tconv_sources(oy, g->pad_top, g->k_h, g->stride_h, g->in_h, &iy0, &iy1);
            for (int32_t ox = 0; ox < g->out_w; ox++) {
                int32_t ix0, ix1;
                tg_tconv_sources(ox, g->pad_left, g->k_w, g->stride_w, g->in_w, &ix0, &ix1);
                for (int32_t oc = 0; oc < g->out_c; oc++) {
                    int64_t acc = 0;
                    for (int32_t iy = iy0; iy <= iy1; iy++) {
                        const int32_t ky = oy + g->pad_top - iy * g->stride_h;
                        for (int32_t ix = ix0; ix <= ix1; ix++) {
                            const int32_t kx = ox + g->pad_left - ix * g->stride_w;
                            acc += tg_dot_s16_s8(image + (iy * g->in_w + ix) * g->in_c, p->weights + ((oc * g->k_h + ky) * g->k_w + kx) * g->in_c, g->in_c);
                        }
                    }
                    if (p->bias64 != NULL) acc += p->bias64[oc];
                    const int32_t scaled = tg_mbqm_s64(acc, p->multiplier[oc], p->shift[oc]);
                    *y++ = (int16_t)tg_clamp_i32(scaled, p->act_min, p->act_max);
                }
            }
        }
    }
}
