/*
 * Pointwise convolution as a matrix product: each output pixel's channels are the dot products of
 * its input pixel (in_c int8 values, read in place) with each filter row. The input zero point is
 * in the bias already, so the operands stay int8: no patch, no per-element subtraction. Two pixels
 * by two output channels per pass share every load (tg_dot.h); on MVE one pixel by four channels,
 * whose sums are requantized as one vector.
 */
#ifndef TG_CONV_1X1_H
#define TG_CONV_1X1_H

#include <string.h>

#include "tinygen_kernels.h"
#include "tg_dot.h"

/* Where output pixel q (counted over batch, rows and columns) reads its input pixel. */
static inline const int8_t *tg_1x1_source(const tg_conv_1x1_t *p, const int8_t *input, int32_t q)
{
    const int32_t per_image = p->out_h * p->out_w;
    const int32_t b = q / per_image, rest = q - b * per_image;
    const int32_t oy = rest / p->out_w, ox = rest - oy * p->out_w;
    return input + ((b * p->in_h + oy * p->stride_h) * p->in_w + ox * p->stride_w) * p->in_c;
}

/*
 * The kernel's body: the library's tg_conv_1x1_s8_<mode> wraps it, and generated code wraps it
 * once per layer, where the compiler sees the layer's shape and constants (p points to a const
 * object with its initializer in view) and folds them in.
 */
static inline __attribute__((always_inline)) void tg_conv_1x1_body(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output, int32_t mode)
{
    /* Locals, not reads through p: the int8 output stores may alias anything and would force reloads. */
    const tg_channel_requant_t rq = p->rq;
    const int32_t *bias = p->bias;
    const int8_t *weights = p->weights;
    const int32_t k = p->in_c, channels = p->out_c;
    const int32_t pixels = p->batch * p->out_h * p->out_w;
    int32_t q = 0;
#if !defined(TG_DOT_MVE)
    /* Two pixels at a time on the portable and DSP bodies; MVE takes one pixel by four filters. */
    for (; q + 1 < pixels; q += 2) {
        tg_matmul_pair_s8(tg_1x1_source(p, input, q), tg_1x1_source(p, input, q + 1), weights, k, channels, bias, &rq, output + q * channels,
                          output + (q + 1) * channels, mode);
    }
#endif
    for (; q < pixels; q++) {
        tg_matmul_row_s8(tg_1x1_source(p, input, q), weights, k, channels, bias, &rq, output + q * channels, mode);
    }
}

/*
 * The same layer (stride 1) computed in place: the output takes over the input's memory. The
 * planner places them so that the output starts where the input starts when it narrows (out_c <=
 * in_c) and ends where the input ends when it widens, so the input lies at `output` + pixels *
 * max(0, out_c - in_c). Pixels go forward, each (a pair on the portable and DSP bodies) computed
 * into `temp` (2 * out_c bytes) and then copied out, since its output may cover its own input:
 * pixels q .. q + 1 write [q out_c, (q + 2) out_c) from `output`, and pixel q + 2's input starts
 * at (q + 2) in_c + pixels max(0, out_c - in_c) >= (q + 2) out_c from it, so no later pixel's
 * input is touched. The planner picks this only where it lowers the arena.
 */
static inline __attribute__((always_inline)) void tg_conv_1x1_in_place_body(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output, int8_t *temp, int32_t mode)
{
    const tg_channel_requant_t rq = p->rq;
    const int32_t *bias = p->bias;
    const int8_t *weights = p->weights;
    const int32_t k = p->in_c, channels = p->out_c;
    const int32_t pixels = p->batch * p->out_h * p->out_w;
    int32_t q = 0;
#if !defined(TG_DOT_MVE)
    for (; q + 1 < pixels; q += 2) {
        tg_matmul_pair_s8(input + q * k, input + (q + 1) * k, weights, k, channels, bias, &rq, temp, temp + channels, mode);
        memcpy(output + q * channels, temp, (size_t)(2 * channels));
    }
#endif
    for (; q < pixels; q++) {
        tg_matmul_row_s8(input + q * k, weights, k, channels, bias, &rq, temp, mode);
        memcpy(output + q * channels, temp, (size_t)channels);
    }
}

/*
 * A fully connected layer whose input vector arrives in pieces, as a convolution makes its output
 * row by row (a ConvRowsGemm step): sums[c] += the piece (`count` values, those at `offset` ..
 * offset + count - 1 of the vector) times the same values of filter c. The sums start at 0 and
 * wrap as the whole product's would; tg_matmul_finish adds the bias (the input zero point folded
 * in over the whole vector) and requantizes them into y. in_c is the whole vector's length.
 */
static inline __attribute__((always_inline)) void tg_matmul_accumulate_body(const tg_conv_1x1_t *p, const int8_t *x, int32_t offset, int32_t count, int32_t *sums)
{
    const int32_t k = p->in_c, channels = p->out_c;
    const int8_t *w0 = p->weights + offset;
    int32_t oc = 0;
    for (; oc + 4 <= channels; oc += 4, w0 += 4 * k) tg_dot_1x4_s8(x, w0, w0 + k, w0 + 2 * k, w0 + 3 * k, count, sums + oc);
    if (oc < channels) {
        /* Past the last filter the rows repeat it, into sums that are not kept. */
        int32_t tail[4] = {0, 0, 0, 0};
        for (int32_t j = 0; oc + j < channels; j++) tail[j] = sums[oc + j];
        tg_dot_1x4_s8(x, w0, oc + 1 < channels ? w0 + k : w0, oc + 2 < channels ? w0 + 2 * k : w0, w0, count, tail);
        for (int32_t j = 0; oc + j < channels; j++) sums[oc + j] = tail[j];
    }
}

static inline __attribute__((always_inline)) void tg_matmul_finish_body(const tg_conv_1x1_t *p, const int32_t *sums, int8_t *y, int32_t mode)
{
    const tg_channel_requant_t rq = p->rq;
    for (int32_t c = 0; c < p->out_c; c++) y[c] = tg_requant_channel(&rq, c, (int32_t)((uint32_t)sums[c] + (uint32_t)p->bias[c]), mode);
}

#endif /* TG_CONV_1X1_H */
