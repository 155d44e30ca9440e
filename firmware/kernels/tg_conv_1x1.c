/*
 * Pointwise convolution as a matrix product: each output pixel's channels are the dot products of
 * its input pixel (in_c int8 values, read in place) with each filter row. The input zero point is
 * in the bias already, so the operands stay int8: no patch, no per-element subtraction. Two pixels
 * by two output channels per pass share every load (tg_dot.h); on MVE one pixel by four channels,
 * whose sums are requantized as one vector.
 */
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

#if defined(TG_DOT_MVE)
/*
 * MVE: one pixel by four output channels per pass, each a VMLADAVA over 16 input channels at a
 * time, so the four sums form one vector for the vector requantization (tg_requant_channels_mve).
 */
static inline __attribute__((always_inline)) void tg_conv_1x1_mve(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output, int32_t mode)
{
    const tg_channel_requant_t rq = p->rq;
    const int32_t *bias = p->bias;
    const int8_t *weights = p->weights;
    const int32_t k = p->in_c, channels = p->out_c;
    const int32_t pixels = p->batch * p->out_h * p->out_w;
    const int32_t whole = channels & ~3;
    for (int32_t q = 0; q < pixels; q++, output += channels) {
        const int8_t *x = tg_1x1_source(p, input, q);
        int32_t oc = 0;
        const int8_t *w0 = weights;
        for (; oc < whole; oc += 4, w0 += 4 * k) {
            int32_t sums[4];
            tg_dot_1x4_s8(x, w0, w0 + k, w0 + 2 * k, w0 + 3 * k, k, sums);
            vstrbq_s32(output + oc, tg_requant_four_mve(&rq, oc, vaddq_s32(vldrwq_s32(sums), vldrwq_s32(bias + oc)), mode));
        }
        if (oc < channels) {
            /* Past the last channel the filters repeat the last one; those lanes are not stored. */
            const int8_t *w1 = oc + 1 < channels ? w0 + k : w0;
            const int8_t *w2 = oc + 2 < channels ? w0 + 2 * k : w0;
            int32_t sums[4];
            tg_dot_1x4_s8(x, w0, w1, w2, w0, k, sums);
            const mve_pred16_t out_lanes = vctp32q((uint32_t)(channels - oc));
            const int32x4_t acc = vaddq_s32(vldrwq_s32(sums), vldrwq_z_s32(bias + oc, out_lanes));
            vstrbq_p_s32(output + oc, tg_requant_channels_mve(&rq, oc, acc, mode, out_lanes), out_lanes);
        }
    }
}
#endif

static inline __attribute__((always_inline)) void tg_conv_1x1_body(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output, int32_t mode)
{
#if defined(TG_DOT_MVE)
    tg_conv_1x1_mve(p, input, output, mode);
    return;
#endif
    /* Locals, not reads through p: the int8 output stores may alias anything and would force reloads. */
    const tg_channel_requant_t rq = p->rq;
    const int32_t *bias = p->bias;
    const int8_t *weights = p->weights;
    const int32_t k = p->in_c, channels = p->out_c;
    const int32_t pixels = p->batch * p->out_h * p->out_w;
    int32_t q = 0;
    for (; q + 1 < pixels; q += 2) {
        const int32_t second = q + 1;
        const int8_t *x0 = tg_1x1_source(p, input, q), *x1 = tg_1x1_source(p, input, second);
        int8_t *y0 = output + q * channels, *y1 = output + second * channels;
        int32_t oc = 0;
        for (; oc + 2 <= channels; oc += 2) {
            const int8_t *w0 = weights + oc * k;
            uint32_t acc[4] = {(uint32_t)bias[oc], (uint32_t)bias[oc + 1], (uint32_t)bias[oc], (uint32_t)bias[oc + 1]};
            tg_dot_2x2_s8(x0, x1, w0, w0 + k, k, acc);
            /* All four before any store: an int8 store may alias the int8 shift tables and force reloads. */
            const int8_t r00 = tg_requant_channel(&rq, oc, (int32_t)acc[0], mode), r01 = tg_requant_channel(&rq, oc + 1, (int32_t)acc[1], mode);
            const int8_t r10 = tg_requant_channel(&rq, oc, (int32_t)acc[2], mode), r11 = tg_requant_channel(&rq, oc + 1, (int32_t)acc[3], mode);
            y0[oc] = r00;
            y0[oc + 1] = r01;
            y1[oc] = r10;
            y1[oc + 1] = r11;
        }
        if (oc < channels) {
            /* An odd last channel pairs with itself. */
            const int8_t *w0 = weights + oc * k;
            uint32_t acc[4] = {(uint32_t)bias[oc], (uint32_t)bias[oc], (uint32_t)bias[oc], (uint32_t)bias[oc]};
            tg_dot_2x2_s8(x0, x1, w0, w0, k, acc);
            y0[oc] = tg_requant_channel(&rq, oc, (int32_t)acc[0], mode);
            y1[oc] = tg_requant_channel(&rq, oc, (int32_t)acc[2], mode);
        }
    }
    if (q < pixels) {
        /* The last pixel alone (a fully connected layer's only one): four filters per load of it. */
        const int8_t *x = tg_1x1_source(p, input, q);
        int8_t *y = output + q * channels;
        for (int32_t oc = 0; oc < channels; oc += 4) {
            /* Past the last filter the rows repeat it; those results are not stored. */
            const int8_t *w0 = weights + oc * k;
            int32_t sums[4];
            tg_dot_1x4_s8(x, w0, oc + 1 < channels ? w0 + k : w0, oc + 2 < channels ? w0 + 2 * k : w0, oc + 3 < channels ? w0 + 3 * k : w0, k, sums);
            for (int32_t j = 0; j < 4 && oc + j < channels; j++) {
                y[oc + j] = tg_requant_channel(&rq, oc + j, (int32_t)((uint32_t)sums[j] + (uint32_t)bias[oc + j]), mode);
            }
        }
    }
}

void tg_conv_1x1_s8_tflite(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output)
{
    tg_conv_1x1_body(p, input, output, TG_ROUND_TFLITE);
}

void tg_conv_1x1_s8_onnx(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output)
{
    tg_conv_1x1_body(p, input, output, TG_ROUND_ONNX);
}
