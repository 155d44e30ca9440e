/*
 * Depthwise convolution, channel multiplier 1 (one filter per channel, weights [k_h][k_w][c]),
 * no weight zero point. Channels are the inner loop: each tap is a run of contiguous input and
 * weight bytes, four channels per step. A window inside the input takes the bias with the input
 * zero point folded in at compile time (bias - zx * sum w) and multiplies raw bytes; a window on
 * the border, where only the taps inside the input count, takes the plain bias and subtracts the
 * zero point from each byte it reads. Sums wrap modulo 2^32 like the reference's int32.
 */
#ifndef TG_CONV_DW_H
#define TG_CONV_DW_H
#include <string.h>

#include "tinygen_kernels.h"
#include "tg_dot.h"
#include "tg_row_ring.h"

#if defined(TG_DOT_MVE)
#define TG_DW_MVE 1
#elif defined(TG_DOT_DSP)
#define TG_DW_DSP 1
#endif

/* The taps of output (oy, ox) inside the input: ky in [ky0, ky1), kx in [kx0, kx1). */
typedef struct {
    int32_t y0, x0, ky0, ky1, kx0, kx1;
} tg_dw_taps_t;

static inline tg_dw_taps_t tg_dw_taps(const tg_conv_dw_t *p, int32_t oy, int32_t ox)
{
    tg_dw_taps_t t = {oy * p->stride_h - p->pad_top, ox * p->stride_w - p->pad_left, 0, p->k_h, 0, p->k_w};
    while (t.ky0 < t.ky1 && t.y0 + t.ky0 * p->dil_h < 0) t.ky0++;
    while (t.ky1 > t.ky0 && t.y0 + (t.ky1 - 1) * p->dil_h >= p->in_h) t.ky1--;
    while (t.kx0 < t.kx1 && t.x0 + t.kx0 * p->dil_w < 0) t.kx0++;
    while (t.kx1 > t.kx0 && t.x0 + (t.kx1 - 1) * p->dil_w >= p->in_w) t.kx1--;
    return t;
}

/*
 * acc[0..3] += sum over the window's taps inside the input of (x - zx) w for channels c .. c + 3;
 * `subtract` is a constant in each caller (0 for interior windows, whose zero point is in the
 * bias). `image` points at channel c of input pixel (0, 0); `weights` at channel c of tap (0, 0).
 */
static inline __attribute__((always_inline)) void tg_dw_four(const tg_conv_dw_t *p, const tg_dw_taps_t *t, const int8_t *image, const int8_t *weights, int32_t zx,
                                                             int32_t subtract, uint32_t acc[4])
{
    const int32_t channels = p->channels, in_w = p->in_w, k_w = p->k_w, dil_h = p->dil_h, dil_w = p->dil_w;
    /* Pointers walk the taps: one step per column, one per row less the columns walked. */
    const int32_t columns = t->kx1 - t->kx0;
    const int32_t x_step = dil_w * channels, w_step = channels;
    const int32_t x_row = dil_h * in_w * channels - columns * x_step, w_row = k_w * channels - columns * w_step;
    const int8_t *k = weights + (t->ky0 * k_w + t->kx0) * channels;
    if (t->ky0 >= t->ky1 || columns <= 0) {
        return; /* no tap inside the input; the pointer below would point outside it */
    }
    const int8_t *x = image + ((t->y0 + t->ky0 * dil_h) * in_w + t->x0 + t->kx0 * dil_w) * channels;
#if defined(TG_DW_DSP)
    int32_t a0 = (int32_t)acc[0], a1 = (int32_t)acc[1], a2 = (int32_t)acc[2], a3 = (int32_t)acc[3];
    /* SXTB16 pairs channels 0 and 2 (and 1 and 3); the zero point leaves each halfword with SSUB16. */
    const uint32_t zx_pair = ((uint32_t)(uint16_t)zx << 16) | (uint16_t)zx;
    for (int32_t ky = t->ky0; ky < t->ky1; ky++, x += x_row, k += w_row) {
        for (int32_t kx = 0; kx < columns; kx++, x += x_step, k += w_step) {
            uint32_t x4, w4;
            memcpy(&x4, x, 4);
            memcpy(&w4, k, 4);
            int32_t xe = tg_even_bytes(x4), xo = tg_odd_bytes(x4);
            if (subtract) {
                xe = (int32_t)__ssub16(xe, (int16x2_t)zx_pair);
                xo = (int32_t)__ssub16(xo, (int16x2_t)zx_pair);
            }
            const int32_t we = tg_even_bytes(w4), wo = tg_odd_bytes(w4);
            a0 = __smlabb(xe, we, a0);
            a2 = __smlatt(xe, we, a2);
            a1 = __smlabb(xo, wo, a1);
            a3 = __smlatt(xo, wo, a3);
        }
    }
    acc[0] = (uint32_t)a0, acc[1] = (uint32_t)a1, acc[2] = (uint32_t)a2, acc[3] = (uint32_t)a3;
#else
    for (int32_t ky = t->ky0; ky < t->ky1; ky++, x += x_row, k += w_row) {
        for (int32_t kx = 0; kx < columns; kx++, x += x_step, k += w_step) {
            acc[0] += (uint32_t)((x[0] - zx) * k[0]);
            acc[1] += (uint32_t)((x[1] - zx) * k[1]);
            acc[2] += (uint32_t)((x[2] - zx) * k[2]);
            acc[3] += (uint32_t)((x[3] - zx) * k[3]);
        }
    }
    (void)subtract;
#endif
}

#if defined(TG_DW_DSP)
/*
 * An interior pixel of a 3x3 layer, four channels: the nine taps unrolled, no bounds, no zero point
 * (it is in the bias). `x` points at channel c of the window's top-left input pixel.
 */
static inline __attribute__((always_inline)) void tg_dw_four_3x3(const int8_t *x, const int8_t *k, int32_t x_step, int32_t x_row, int32_t channels, uint32_t acc[4])
{
    int32_t a0 = (int32_t)acc[0], a1 = (int32_t)acc[1], a2 = (int32_t)acc[2], a3 = (int32_t)acc[3];
#define TG_DW_TAP(xp, kp)                                                      \
    do {                                                                       \
        uint32_t x4, w4;                                                       \
        memcpy(&x4, (xp), 4);                                                  \
        memcpy(&w4, (kp), 4);                                                  \
        const int32_t xe = tg_even_bytes(x4), xo = tg_odd_bytes(x4);    \
        const int32_t we = tg_even_bytes(w4), wo = tg_odd_bytes(w4);    \
        a0 = __smlabb(xe, we, a0);                                             \
        a2 = __smlatt(xe, we, a2);                                             \
        a1 = __smlabb(xo, wo, a1);                                             \
        a3 = __smlatt(xo, wo, a3);                                             \
    } while (0)
    for (int32_t row = 0; row < 3; row++, x += x_row, k += 3 * channels) {
        TG_DW_TAP(x, k);
        TG_DW_TAP(x + x_step, k + channels);
        TG_DW_TAP(x + 2 * x_step, k + 2 * channels);
    }
#undef TG_DW_TAP
    acc[0] = (uint32_t)a0, acc[1] = (uint32_t)a1, acc[2] = (uint32_t)a2, acc[3] = (uint32_t)a3;
}
#endif

#if defined(TG_DW_MVE)
/*
 * acc + sum over the window's taps inside the input of (x - zx) w, four channels from `image` and
 * `weights`; `whole` (a constant per caller) loads all four lanes unpredicated, else `lanes`.
 */
static inline __attribute__((always_inline)) int32x4_t tg_dw_four_mve(const tg_conv_dw_t *p, const tg_dw_taps_t *t, const int8_t *image, const int8_t *weights,
                                                                      int32_t zx, int32_t subtract, int32_t whole, mve_pred16_t lanes, int32x4_t acc)
{
    const int32_t channels = p->channels, in_w = p->in_w, k_w = p->k_w, dil_h = p->dil_h, dil_w = p->dil_w;
    const int32_t columns = t->kx1 - t->kx0;
    const int32_t x_step = dil_w * channels, w_step = channels;
    const int32_t x_row = dil_h * in_w * channels - columns * x_step, w_row = k_w * channels - columns * w_step;
    if (t->ky0 >= t->ky1 || columns <= 0) {
        return acc;
    }
    const int8_t *x = image + ((t->y0 + t->ky0 * dil_h) * in_w + t->x0 + t->kx0 * dil_w) * channels;
    const int8_t *k = weights + (t->ky0 * k_w + t->kx0) * channels;
    for (int32_t ky = t->ky0; ky < t->ky1; ky++, x += x_row, k += w_row) {
        for (int32_t kx = 0; kx < columns; kx++, x += x_step, k += w_step) {
            int32x4_t v = whole ? vldrbq_s32(x) : vldrbq_z_s32(x, lanes);
            if (subtract) {
                v = vsubq_n_s32(v, zx);
            }
            acc = vaddq_s32(acc, vmulq_s32(v, whole ? vldrbq_s32(k) : vldrbq_z_s32(k, lanes)));
        }
    }
    return acc;
}

/*
 * Eight whole channels at once in int16 lanes: VMULLB and VMULLT multiply the even and the odd
 * lanes into int32 products, so the two sums come out as channels (c, c+2, c+4, c+6) and
 * (c+1, c+3, c+5, c+7): acc[0] and acc[1]. Each tap costs one load of each operand, two
 * multiplies and two adds for eight MACs; with two sums, an input, a weight and two products
 * live, nothing spills (sixteen channels at once did). `subtract` as for tg_dw_four_mve (x - zx
 * stays within int16).
 */
static inline __attribute__((always_inline)) void tg_dw_eight_mve(const tg_conv_dw_t *p, const tg_dw_taps_t *t, const int8_t *image, const int8_t *weights,
                                                                  int32_t zx, int32_t subtract, int32x4_t acc[2])
{
    const int32_t channels = p->channels, in_w = p->in_w, k_w = p->k_w, dil_h = p->dil_h, dil_w = p->dil_w;
    const int32_t columns = t->kx1 - t->kx0;
    const int32_t x_step = dil_w * channels, w_step = channels;
    const int32_t x_row = dil_h * in_w * channels - columns * x_step, w_row = k_w * channels - columns * w_step;
    if (t->ky0 >= t->ky1 || columns <= 0) {
        return;
    }
    const int8_t *x = image + ((t->y0 + t->ky0 * dil_h) * in_w + t->x0 + t->kx0 * dil_w) * channels;
    const int8_t *k = weights + (t->ky0 * k_w + t->kx0) * channels;
    int32x4_t even = acc[0], odd = acc[1];
    for (int32_t ky = t->ky0; ky < t->ky1; ky++, x += x_row, k += w_row) {
        for (int32_t n = columns; n != 0; n--, x += x_step, k += w_step) {
            int16x8_t v = vldrbq_s16(x);
            if (subtract) {
                v = vsubq_n_s16(v, (int16_t)zx);
            }
            const int16x8_t w = vldrbq_s16(k);
            even = vaddq_s32(even, vmullbq_int_s16(v, w));
            odd = vaddq_s32(odd, vmulltq_int_s16(v, w));
        }
    }
    acc[0] = even, acc[1] = odd;
}
#endif

/* One channel, for the channels past the last whole group of four. */
static inline uint32_t tg_dw_one(const tg_conv_dw_t *p, const tg_dw_taps_t *t, const int8_t *image, const int8_t *weights, int32_t zx, uint32_t acc)
{
    const int32_t channels = p->channels;
    for (int32_t ky = t->ky0; ky < t->ky1; ky++) {
        for (int32_t kx = t->kx0; kx < t->kx1; kx++) {
            const int8_t x = image[((t->y0 + ky * p->dil_h) * p->in_w + t->x0 + kx * p->dil_w) * channels];
            acc += (uint32_t)((x - zx) * weights[(ky * p->k_w + kx) * channels]);
        }
    }
    return acc;
}

/* One output row `oy` of one image: out_w pixels of `channels` bytes from `output`. */
static inline __attribute__((always_inline)) void tg_conv_dw_row(const tg_conv_dw_t *p, const int8_t *image, int32_t oy, int8_t *output, int32_t mode)
{
    /* Locals, not reads through p: the int8 output stores may alias anything and would force reloads. */
    const tg_channel_requant_t rq = p->rq;
    const int32_t channels = p->channels;
    const int8_t *weights = p->weights;
#if defined(TG_DW_DSP)
    const int32_t three_by_three = p->k_h == 3 && p->k_w == 3;
    /* The 3x3 interior's steps between taps, once per layer. */
    const int32_t tap_step = p->dil_w * channels, row_step = p->dil_h * p->in_w * channels;
#endif
    for (int32_t ox = 0; ox < p->out_w; ox++, output += channels) {
        const tg_dw_taps_t t = tg_dw_taps(p, oy, ox);
        const int32_t interior = t.ky0 == 0 && t.ky1 == p->k_h && t.kx0 == 0 && t.kx1 == p->k_w;
        const int32_t *bias = interior ? p->bias : p->border_bias;
        const int32_t zx = interior ? 0 : p->in_zero_point;
        int32_t c = 0;
#if defined(TG_DW_MVE)
        /* Eight channels at a time in int16 lanes, then four per vector, widened to int32
         * lanes as they load, the last step's lanes past the channel count predicated off. */
        for (; c + 8 <= channels; c += 8) {
            /* The even channels' sum, then the odd ones': constants gathered with stride two. */
            const uint32x4_t every_other = vidupq_n_u32(0, 2);
            int32x4_t acc[2] = {vldrwq_gather_shifted_offset_s32(bias + c, every_other), vldrwq_gather_shifted_offset_s32(bias + c + 1, every_other)};
            if (interior) {
                tg_dw_eight_mve(p, &t, image + c, weights + c, 0, 0, acc);
            } else {
                tg_dw_eight_mve(p, &t, image + c, weights + c, zx, 1, acc);
            }
            vstrbq_scatter_offset_s32(output + c, every_other, tg_requant_strided_mve(&rq, c, acc[0], mode));
            vstrbq_scatter_offset_s32(output + c + 1, every_other, tg_requant_strided_mve(&rq, c + 1, acc[1], mode));
        }
        for (; c < channels; c += 4) {
            const mve_pred16_t lanes = vctp32q((uint32_t)(channels - c));
            int32x4_t acc = vldrwq_z_s32(bias + c, lanes);
            if (c + 4 <= channels) {
                acc = interior ? tg_dw_four_mve(p, &t, image + c, weights + c, 0, 0, 1, lanes, acc) : tg_dw_four_mve(p, &t, image + c, weights + c, zx, 1, 1, lanes, acc);
            } else {
                acc = tg_dw_four_mve(p, &t, image + c, weights + c, zx, !interior, 0, lanes, acc);
            }
            vstrbq_p_s32(output + c, tg_requant_channels_mve(&rq, c, acc, mode, lanes), lanes);
        }
#else
        for (; c + 4 <= channels; c += 4) {
            uint32_t acc[4] = {(uint32_t)bias[c], (uint32_t)bias[c + 1], (uint32_t)bias[c + 2], (uint32_t)bias[c + 3]};
            if (interior) {
#if defined(TG_DW_DSP)
                if (three_by_three) {
                    const int8_t *x = image + (t.y0 * p->in_w + t.x0) * channels + c;
                    tg_dw_four_3x3(x, weights + c, tap_step, row_step, channels, acc);
                } else
#endif
                {
                    tg_dw_four(p, &t, image + c, weights + c, 0, 0, acc);
                }
            } else {
                tg_dw_four(p, &t, image + c, weights + c, zx, 1, acc);
            }
            const int8_t r0 = tg_requant_channel(&rq, c, (int32_t)acc[0], mode), r1 = tg_requant_channel(&rq, c + 1, (int32_t)acc[1], mode);
            const int8_t r2 = tg_requant_channel(&rq, c + 2, (int32_t)acc[2], mode), r3 = tg_requant_channel(&rq, c + 3, (int32_t)acc[3], mode);
            output[c] = r0;
            output[c + 1] = r1;
            output[c + 2] = r2;
            output[c + 3] = r3;
        }
        for (; c < channels; c++) {
            output[c] = tg_requant_channel(&rq, c, (int32_t)tg_dw_one(p, &t, image + c, weights + c, zx, (uint32_t)bias[c]), mode);
        }
#endif
    }
}

/* The kernel's body: the library's tg_conv_dw_s8_<mode> wraps it, and generated code wraps it
 * once per layer, with the layer's shape and constants in the compiler's view. */
static inline __attribute__((always_inline)) void tg_conv_dw_body(const tg_conv_dw_t *p, const int8_t *input, int8_t *output, int32_t mode)
{
    const int32_t in_image = p->in_h * p->in_w * p->channels, out_row = p->out_w * p->channels;
    for (int32_t b = 0; b < p->batch; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++, output += out_row) tg_conv_dw_row(p, input + b * in_image, oy, output, mode);
    }
}

/*
 * The same layer (one image) computed in place: the output takes over the input's memory, the
 * input lying `lead` = input - output bytes (0 or more) into it. Each output row is computed into
 * a ring of `ring_rows` rows in `ring`, and copied to its place as soon as every byte it covers
 * lies below the first input row that a later output row still reads: after row oy that is input
 * row (oy + 1) stride_h - pad_top. The compiler sizes the ring for the layer (the most rows ever
 * waiting), so a row is never overwritten before it is copied.
 */
static inline __attribute__((always_inline)) void tg_conv_dw_in_place_body(const tg_conv_dw_t *p, const int8_t *input, int8_t *output, int8_t *ring, int32_t ring_rows, int32_t mode)
{
    const int32_t out_row = p->out_w * p->channels, in_row = p->in_w * p->channels;
    const int32_t lead = (int32_t)(input - output);
    int32_t next = 0;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
        tg_conv_dw_row(p, input, oy, ring + (oy % ring_rows) * out_row, mode);
        tg_ring_flush(output, ring, ring_rows, out_row, &next, oy, lead + ((oy + 1) * p->stride_h - p->pad_top) * in_row);
    }
    tg_ring_flush(output, ring, ring_rows, out_row, &next, p->out_h - 1, INT32_MAX);
}

#endif /* TG_CONV_DW_H */
