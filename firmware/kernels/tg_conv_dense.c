/*
 * Dense convolution (one group, any window, no weight zero point) as a matrix product over gathered
 * patches: each output pixel's receptive field is copied once into the scratch as raw int8 bytes,
 * taps outside the input as the input zero point, so sum (x - zx) w over the taps inside the input
 * equals sum patch * w - zx * sum w, and the second term is in the bias (folded at compile time).
 * Then every filter is one int8 dot product with the patch (tg_dot.h): two pixels by two filters
 * per pass on the portable and DSP bodies, one pixel by four filters on MVE.
 */
#include <string.h>

#include "tinygen_kernels.h"
#include "tg_dot.h"

/* n bytes; a call to memcpy costs more than a short copy (a first layer's few channels). */
static inline void tg_dense_copy(int8_t *to, const int8_t *from, int32_t n)
{
    if (n >= 32) {
        memcpy(to, from, (size_t)n);
        return;
    }
    for (int32_t i = 0; i < n; i++) {
        to[i] = from[i];
    }
}

static inline void tg_dense_fill(int8_t *to, int8_t value, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        to[i] = value;
    }
}

/*
 * The receptive field of output pixel q (counted over batch, rows and columns) as k_h * k_w * in_c
 * bytes, taps outside the input as the zero point. Without dilation along W a window row's taps
 * inside the input are adjacent pixels, one contiguous run of bytes.
 */
static void tg_dense_patch(const tg_window_t *w, const int8_t *input, int32_t q, int8_t zero_point, int8_t *patch)
{
    const int32_t per_image = w->out_h * w->out_w;
    const int32_t b = q / per_image, rest = q - b * per_image;
    const int32_t oy = rest / w->out_w, ox = rest - oy * w->out_w;
    const int8_t *image = input + b * w->in_h * w->in_w * w->in_c;
    const int32_t c = w->in_c, row_bytes = w->k_w * c;
    const int32_t y0 = oy * w->stride_h - w->pad_top, x0 = ox * w->stride_w - w->pad_left;
    /* The columns inside the input: kx in [kx0, kx1). */
    int32_t kx0 = 0, kx1 = w->k_w;
    while (kx0 < kx1 && x0 + kx0 * w->dil_w < 0) kx0++;
    while (kx1 > kx0 && x0 + (kx1 - 1) * w->dil_w >= w->in_w) kx1--;
    for (int32_t ky = 0; ky < w->k_h; ky++, patch += row_bytes) {
        const int32_t iy = y0 + ky * w->dil_h;
        if (iy < 0 || iy >= w->in_h || kx0 >= kx1) {
            tg_dense_fill(patch, zero_point, row_bytes);
            continue;
        }
        tg_dense_fill(patch, zero_point, kx0 * c);
        const int8_t *row = image + iy * w->in_w * c;
        if (w->dil_w == 1) {
            tg_dense_copy(patch + kx0 * c, row + (x0 + kx0) * c, (kx1 - kx0) * c);
        } else {
            for (int32_t kx = kx0; kx < kx1; kx++) {
                tg_dense_copy(patch + kx * c, row + (x0 + kx * w->dil_w) * c, c);
            }
        }
        tg_dense_fill(patch + kx1 * c, zero_point, (w->k_w - kx1) * c);
    }
}

static inline __attribute__((always_inline)) void tg_conv_dense_body(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch, int32_t mode)
{
    /* Locals, not reads through p: the int8 output stores may alias anything and would force reloads. */
    const tg_channel_requant_t rq = p->rq;
    const tg_window_t w = p->win;
    const int32_t *bias = p->bias;
    const int8_t *weights = p->weights;
    const int32_t taps = w.k_h * w.k_w * w.in_c, channels = w.out_c;
    const int32_t pixels = w.batch * w.out_h * w.out_w;
    const int8_t zx = (int8_t)p->in_zero_point;
#if defined(TG_DOT_MVE)
    for (int32_t q = 0; q < pixels; q++, output += channels) {
        tg_dense_patch(&w, input, q, zx, patch);
        int32_t oc = 0;
        const int8_t *w0 = weights;
        for (; oc + 4 <= channels; oc += 4, w0 += 4 * taps) {
            int32_t sums[4];
            tg_dot_1x4_s8(patch, w0, w0 + taps, w0 + 2 * taps, w0 + 3 * taps, taps, sums);
            vstrbq_s32(output + oc, tg_requant_four_mve(&rq, oc, vaddq_s32(vldrwq_s32(sums), vldrwq_s32(bias + oc)), mode));
        }
        if (oc < channels) {
            /* Past the last filter the rows repeat it; those lanes are not stored. */
            const int8_t *w1 = oc + 1 < channels ? w0 + taps : w0;
            const int8_t *w2 = oc + 2 < channels ? w0 + 2 * taps : w0;
            int32_t sums[4];
            tg_dot_1x4_s8(patch, w0, w1, w2, w0, taps, sums);
            const mve_pred16_t lanes = vctp32q((uint32_t)(channels - oc));
            const int32x4_t acc = vaddq_s32(vldrwq_s32(sums), vldrwq_z_s32(bias + oc, lanes));
            vstrbq_p_s32(output + oc, tg_requant_channels_mve(&rq, oc, acc, mode, lanes), lanes);
        }
    }
#else
    int8_t *patch1 = patch + taps;
    for (int32_t q = 0; q < pixels; q += 2) {
        /* An odd last pixel pairs with itself: its results are computed twice and stored once, twice. */
        const int32_t second = q + 1 < pixels ? q + 1 : q;
        tg_dense_patch(&w, input, q, zx, patch);
        tg_dense_patch(&w, input, second, zx, patch1);
        int8_t *y0 = output + q * channels, *y1 = output + second * channels;
        int32_t oc = 0;
        for (; oc + 2 <= channels; oc += 2) {
            const int8_t *w0 = weights + oc * taps;
            uint32_t acc[4] = {(uint32_t)bias[oc], (uint32_t)bias[oc + 1], (uint32_t)bias[oc], (uint32_t)bias[oc + 1]};
            tg_dot_2x2_s8(patch, patch1, w0, w0 + taps, taps, acc);
            /* All four before any store: an int8 store may alias the int8 shift tables and force reloads. */
            const int8_t r00 = tg_requant_channel(&rq, oc, (int32_t)acc[0], mode), r01 = tg_requant_channel(&rq, oc + 1, (int32_t)acc[1], mode);
            const int8_t r10 = tg_requant_channel(&rq, oc, (int32_t)acc[2], mode), r11 = tg_requant_channel(&rq, oc + 1, (int32_t)acc[3], mode);
            y0[oc] = r00;
            y0[oc + 1] = r01;
            y1[oc] = r10;
            y1[oc + 1] = r11;
        }
        if (oc < channels) {
            const int8_t *w0 = weights + oc * taps;
            uint32_t acc[4] = {(uint32_t)bias[oc], (uint32_t)bias[oc], (uint32_t)bias[oc], (uint32_t)bias[oc]};
            tg_dot_2x2_s8(patch, patch1, w0, w0, taps, acc);
            y0[oc] = tg_requant_channel(&rq, oc, (int32_t)acc[0], mode);
            y1[oc] = tg_requant_channel(&rq, oc, (int32_t)acc[2], mode);
        }
    }
#endif
}

void tg_conv_dense_s8_tflite(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch)
{
    tg_conv_dense_body(p, input, output, patch, TG_ROUND_TFLITE);
}

void tg_conv_dense_s8_onnx(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch)
{
    tg_conv_dense_body(p, input, output, patch, TG_ROUND_ONNX);
}
