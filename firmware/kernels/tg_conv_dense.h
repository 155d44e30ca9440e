/*
 * Dense convolution (one group, any window, no weight zero point) as a matrix product over gathered
 * patches: each output pixel's receptive field is copied once into the scratch as raw int8 bytes,
 * taps outside the input as the input zero point, so sum (x - zx) w over the taps inside the input
 * equals sum patch * w - zx * sum w, and the second term is in the bias (folded at compile time).
 * Then every filter is one int8 dot product with the patch (tg_dot.h): two pixels by two filters
 * per pass on the portable and DSP bodies, one pixel by four filters on MVE.
 */
#ifndef TG_CONV_DENSE_H
#define TG_CONV_DENSE_H
#include <string.h>

#include "tinygen_kernels.h"
#include "tg_dot.h"
#include "tg_row_ring.h"

/* n bytes; a call to memcpy costs more than a short copy (a first layer's few channels). */
static inline void tg_dense_copy(int8_t *to, const int8_t *from, int32_t n)
{
#if defined(TG_DOT_MVE)
    /* Sixteen bytes a step, the last one predicated. */
    for (int32_t i = 0; i < n; i += 16) {
        const mve_pred16_t lanes = vctp8q((uint32_t)(n - i));
        vstrbq_p_s8(to + i, vld1q_z_s8(from + i, lanes), lanes);
    }
#else
    if (n >= 32) {
        memcpy(to, from, (size_t)n);
        return;
    }
    for (int32_t i = 0; i < n; i++) {
        to[i] = from[i];
    }
#endif
}

static inline void tg_dense_fill(int8_t *to, int8_t value, int32_t n)
{
#if defined(TG_DOT_MVE)
    const int8x16_t v = vdupq_n_s8(value);
    for (int32_t i = 0; i < n; i += 16) {
        vstrbq_p_s8(to + i, v, vctp8q((uint32_t)(n - i)));
    }
#else
    for (int32_t i = 0; i < n; i++) {
        to[i] = value;
    }
#endif
}

/*
 * The receptive field of output pixel q (counted over batch, rows and columns) as k_h * k_w * in_c
 * bytes, taps outside the input as the zero point. Without dilation along W a window row's taps
 * inside the input are adjacent pixels, one contiguous run of bytes.
 */
static inline __attribute__((always_inline)) void tg_dense_patch(const tg_window_t *w, const int8_t *input, int32_t q, int8_t zero_point, int8_t *patch)
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

/* One output row `oy` of one image: out_w pixels of out_c bytes from `output` (the MVE body's
 * step, and the in-place kernel's; pairs of pixels within the row on the portable and DSP bodies). */
static inline __attribute__((always_inline)) void tg_conv_dense_row(const tg_conv_dense_t *p, const int8_t *image, int32_t oy, int8_t *output, int8_t *patch, int32_t mode)
{
    /* Locals, not reads through p: the int8 output stores may alias anything and would force reloads. */
    const tg_channel_requant_t rq = p->rq;
    const tg_window_t w = p->win;
    const int32_t *bias = p->bias;
    const int8_t *weights = p->weights;
    const int32_t taps = w.k_h * w.k_w * w.in_c, channels = w.out_c;
    const int8_t zx = (int8_t)p->in_zero_point;
    int32_t q = oy * w.out_w;
    const int32_t end = q + w.out_w;
#if defined(TG_DOT_MVE)
    /* One pixel by four filters (the second patch unused). A window inside the input, without
     * dilation along W, is read in place: k_h runs of k_w * in_c contiguous bytes, when a run
     * holds at least one whole vector (shorter runs, as in a first layer, pay more per run than
     * the patch costs to gather). */
    const int32_t row_k = w.k_w * w.in_c, row_stride = w.dil_h * w.in_w * w.in_c;
    const int32_t in_place = w.dil_w == 1 && row_k >= 16;
    const int32_t y0 = oy * w.stride_h - w.pad_top;
    const int32_t rows_inside = y0 >= 0 && y0 + (w.k_h - 1) * w.dil_h < w.in_h;
    for (int32_t ox = 0; q < end; ox++, q++, output += channels) {
        const int32_t x0 = ox * w.stride_w - w.pad_left;
        if (in_place && rows_inside && x0 >= 0 && x0 + w.k_w <= w.in_w) {
            tg_matmul_runs_s8(image + (y0 * w.in_w + x0) * w.in_c, row_stride, w.k_h, row_k, weights, channels, bias, &rq, output, mode);
        } else {
            tg_dense_patch(&w, image, q, zx, patch);
            tg_matmul_row_s8(patch, weights, taps, channels, bias, &rq, output, mode);
        }
    }
#else
    int8_t *patch1 = patch + taps;
    for (; q + 1 < end; q += 2, output += 2 * channels) {
        tg_dense_patch(&w, image, q, zx, patch);
        tg_dense_patch(&w, image, q + 1, zx, patch1);
        tg_matmul_pair_s8(patch, patch1, weights, taps, channels, bias, &rq, output, output + channels, mode);
    }
    if (q < end) {
        tg_dense_patch(&w, image, q, zx, patch);
        tg_matmul_row_s8(patch, weights, taps, channels, bias, &rq, output, mode);
    }
#endif
}

/* The kernel's body: the library's tg_conv_dense_s8_<mode> wraps it, and generated code wraps it
 * once per layer, with the layer's shape and constants in the compiler's view. */
static inline __attribute__((always_inline)) void tg_conv_dense_body(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch, int32_t mode)
{
#if defined(TG_DOT_MVE)
    const tg_window_t w = p->win;
    const int32_t in_image = w.in_h * w.in_w * w.in_c, out_row = w.out_w * w.out_c;
    for (int32_t b = 0; b < w.batch; b++) {
        for (int32_t oy = 0; oy < w.out_h; oy++, output += out_row) tg_conv_dense_row(p, input + b * in_image, oy, output, patch, mode);
    }
#else
    /* Pairs of pixels run on across rows and images, so an odd row width leaves no pixel alone. */
    const tg_channel_requant_t rq = p->rq;
    const tg_window_t w = p->win;
    const int32_t *bias = p->bias;
    const int8_t *weights = p->weights;
    const int32_t taps = w.k_h * w.k_w * w.in_c, channels = w.out_c;
    const int8_t zx = (int8_t)p->in_zero_point;
    const int32_t pixels = w.batch * w.out_h * w.out_w;
    int8_t *patch1 = patch + taps;
    int32_t q = 0;
    for (; q + 1 < pixels; q += 2) {
        tg_dense_patch(&w, input, q, zx, patch);
        tg_dense_patch(&w, input, q + 1, zx, patch1);
        tg_matmul_pair_s8(patch, patch1, weights, taps, channels, bias, &rq, output + q * channels, output + (q + 1) * channels, mode);
    }
    if (q < pixels) {
        tg_dense_patch(&w, input, q, zx, patch);
        tg_matmul_row_s8(patch, weights, taps, channels, bias, &rq, output + q * channels, mode);
    }
#endif
}

/*
 * The same layer (one image) computed in place: the output takes over the input's memory, the
 * input lying `lead` = input - output bytes (0 or more) into it. Each output row is computed into
 * a ring of `ring_rows` rows and copied to its place once every byte it covers lies below input
 * row (oy + 1) stride_h - pad_top, the first that a later row reads (tg_row_ring.h); the compiler
 * sizes the ring for the layer.
 */
static inline __attribute__((always_inline)) void tg_conv_dense_in_place_body(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch, int8_t *ring, int32_t ring_rows, int32_t mode)
{
    const tg_window_t w = p->win;
    const int32_t out_row = w.out_w * w.out_c, in_row = w.in_w * w.in_c;
    const int32_t lead = (int32_t)(input - output);
    int32_t next = 0;
    for (int32_t oy = 0; oy < w.out_h; oy++) {
        tg_conv_dense_row(p, input, oy, ring + (oy % ring_rows) * out_row, patch, mode);
        tg_ring_flush(output, ring, ring_rows, out_row, &next, oy, lead + ((oy + 1) * w.stride_h - w.pad_top) * in_row);
    }
    tg_ring_flush(output, ring, ring_rows, out_row, &next, w.out_h - 1, INT32_MAX);
}

#endif /* TG_CONV_DENSE_H */
