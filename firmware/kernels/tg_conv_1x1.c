/*
 * Pointwise convolution as a matrix product: each output pixel's channels are the dot products of
 * its input pixel (in_c int8 values, read in place) with each filter row. The input zero point is
 * in the bias already, so the operands stay int8: no patch, no per-element subtraction. Two pixels
 * by two output channels per pass share every load. Sums wrap modulo 2^32 like the reference's
 * int32 (uint32 in C; SMLAD and the MVE sums wrap in hardware).
 */
#include <string.h>

#include "tinygen_kernels.h"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define TG_1X1_MVE 1
#elif defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define TG_1X1_DSP 1
#endif

#if defined(TG_1X1_DSP)
/* Bytes 1 and 3 of a word as two halfwords: SXTB16 with its rotation, one instruction (gcc does
 * not fold a separate rotate into it). */
static inline int32_t tg_odd_bytes(uint32_t word)
{
    int32_t pairs;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(pairs) : "r"(word));
    return pairs;
}
#endif

/* acc[2][2] += the dot products of pixels x0, x1 with filters w0, w1 over k values. */
static inline void tg_dot_2x2_s8(const int8_t *x0, const int8_t *x1, const int8_t *w0, const int8_t *w1, int32_t k, uint32_t acc[4])
{
    int32_t i = 0;
#if defined(TG_1X1_MVE)
    int32_t a00 = (int32_t)acc[0], a01 = (int32_t)acc[1], a10 = (int32_t)acc[2], a11 = (int32_t)acc[3];
    for (; i < k; i += 16) {
        /* Lanes past k load as 0 and add nothing. */
        const mve_pred16_t lanes = vctp8q((uint32_t)(k - i));
        const int8x16_t p0 = vld1q_z_s8(x0 + i, lanes), p1 = vld1q_z_s8(x1 + i, lanes);
        const int8x16_t f0 = vld1q_z_s8(w0 + i, lanes), f1 = vld1q_z_s8(w1 + i, lanes);
        a00 = vmladavaq_s8(a00, p0, f0);
        a01 = vmladavaq_s8(a01, p0, f1);
        a10 = vmladavaq_s8(a10, p1, f0);
        a11 = vmladavaq_s8(a11, p1, f1);
    }
    acc[0] = (uint32_t)a00, acc[1] = (uint32_t)a01, acc[2] = (uint32_t)a10, acc[3] = (uint32_t)a11;
#else
#if defined(TG_1X1_DSP)
    /* Four values per step: SXTB16 gives bytes 0 and 2 (and, rotated, 1 and 3) as halfword pairs,
     * the same pairing for both operands, and SMLAD adds two products. */
    int32_t a00 = (int32_t)acc[0], a01 = (int32_t)acc[1], a10 = (int32_t)acc[2], a11 = (int32_t)acc[3];
    for (; i + 4 <= k; i += 4) {
        uint32_t p0, p1, f0, f1;
        memcpy(&p0, x0 + i, 4);
        memcpy(&p1, x1 + i, 4);
        memcpy(&f0, w0 + i, 4);
        memcpy(&f1, w1 + i, 4);
        const int32_t p0e = (int32_t)__sxtb16(p0), p0o = tg_odd_bytes(p0);
        const int32_t p1e = (int32_t)__sxtb16(p1), p1o = tg_odd_bytes(p1);
        const int32_t f0e = (int32_t)__sxtb16(f0), f0o = tg_odd_bytes(f0);
        const int32_t f1e = (int32_t)__sxtb16(f1), f1o = tg_odd_bytes(f1);
        a00 = __smlad(p0e, f0e, a00);
        a00 = __smlad(p0o, f0o, a00);
        a01 = __smlad(p0e, f1e, a01);
        a01 = __smlad(p0o, f1o, a01);
        a10 = __smlad(p1e, f0e, a10);
        a10 = __smlad(p1o, f0o, a10);
        a11 = __smlad(p1e, f1e, a11);
        a11 = __smlad(p1o, f1o, a11);
    }
    acc[0] = (uint32_t)a00, acc[1] = (uint32_t)a01, acc[2] = (uint32_t)a10, acc[3] = (uint32_t)a11;
#endif
    for (; i < k; i++) {
        const int32_t p0 = x0[i], p1 = x1[i], f0 = w0[i], f1 = w1[i];
        acc[0] += (uint32_t)(p0 * f0);
        acc[1] += (uint32_t)(p0 * f1);
        acc[2] += (uint32_t)(p1 * f0);
        acc[3] += (uint32_t)(p1 * f1);
    }
#endif
}

/* Where output pixel q (counted over batch, rows and columns) reads its input pixel. */
static inline const int8_t *tg_1x1_source(const tg_conv_1x1_t *p, const int8_t *input, int32_t q)
{
    const int32_t per_image = p->out_h * p->out_w;
    const int32_t b = q / per_image, rest = q - b * per_image;
    const int32_t oy = rest / p->out_w, ox = rest - oy * p->out_w;
    return input + ((b * p->in_h + oy * p->stride_h) * p->in_w + ox * p->stride_w) * p->in_c;
}

#if defined(TG_1X1_MVE)
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
    for (int32_t q = 0; q < pixels; q++, output += channels) {
        const int8_t *x = tg_1x1_source(p, input, q);
        for (int32_t oc = 0; oc < channels; oc += 4) {
            /* Past the last channel the filters repeat the last one; those lanes are not stored. */
            const int8_t *w0 = weights + oc * k;
            const int8_t *w1 = oc + 1 < channels ? w0 + k : w0;
            const int8_t *w2 = oc + 2 < channels ? w0 + 2 * k : w0;
            const int8_t *w3 = oc + 3 < channels ? w0 + 3 * k : w0;
            int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            int32_t i = 0;
            /* Whole steps of 16 unpredicated (a VCTP in the loop costs predicate moves each step), then the tail. */
            for (; i + 16 <= k; i += 16) {
                const int8x16_t v = vld1q_s8(x + i);
                a0 = vmladavaq_s8(a0, v, vld1q_s8(w0 + i));
                a1 = vmladavaq_s8(a1, v, vld1q_s8(w1 + i));
                a2 = vmladavaq_s8(a2, v, vld1q_s8(w2 + i));
                a3 = vmladavaq_s8(a3, v, vld1q_s8(w3 + i));
            }
            if (i < k) {
                const mve_pred16_t lanes = vctp8q((uint32_t)(k - i));
                const int8x16_t v = vld1q_z_s8(x + i, lanes);
                a0 = vmladavaq_s8(a0, v, vld1q_z_s8(w0 + i, lanes));
                a1 = vmladavaq_s8(a1, v, vld1q_z_s8(w1 + i, lanes));
                a2 = vmladavaq_s8(a2, v, vld1q_z_s8(w2 + i, lanes));
                a3 = vmladavaq_s8(a3, v, vld1q_z_s8(w3 + i, lanes));
            }
            const mve_pred16_t out_lanes = vctp32q((uint32_t)(channels - oc));
            int32x4_t acc = vsetq_lane_s32(a3, vsetq_lane_s32(a2, vsetq_lane_s32(a1, vdupq_n_s32(a0), 1), 2), 3);
            acc = vaddq_s32(acc, vldrwq_z_s32(bias + oc, out_lanes));
            vstrbq_p_s32(output + oc, tg_requant_channels_mve(&rq, oc, acc, mode, out_lanes), out_lanes);
        }
    }
}
#endif

static inline __attribute__((always_inline)) void tg_conv_1x1_body(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output, int32_t mode)
{
#if defined(TG_1X1_MVE)
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
    for (; q < pixels; q += 2) {
        /* An odd last pixel pairs with itself: its results are computed twice and stored once, twice. */
        const int32_t second = q + 1 < pixels ? q + 1 : q;
        const int8_t *x0 = tg_1x1_source(p, input, q), *x1 = tg_1x1_source(p, input, second);
        int8_t *y0 = output + q * channels, *y1 = output + second * channels;
        int32_t oc = 0;
        for (; oc + 2 <= channels; oc += 2) {
            const int8_t *w0 = weights + oc * k;
            uint32_t acc[4] = {(uint32_t)bias[oc], (uint32_t)bias[oc + 1], (uint32_t)bias[oc], (uint32_t)bias[oc + 1]};
            tg_dot_2x2_s8(x0, x1, w0, w0 + k, k, acc);
            y0[oc] = tg_requant_channel(&rq, oc, (int32_t)acc[0], mode);
            y0[oc + 1] = tg_requant_channel(&rq, oc + 1, (int32_t)acc[1], mode);
            y1[oc] = tg_requant_channel(&rq, oc, (int32_t)acc[2], mode);
            y1[oc + 1] = tg_requant_channel(&rq, oc + 1, (int32_t)acc[3], mode);
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
}

void tg_conv_1x1_s8_tflite(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output)
{
    tg_conv_1x1_body(p, input, output, TG_ROUND_TFLITE);
}

void tg_conv_1x1_s8_onnx(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output)
{
    tg_conv_1x1_body(p, input, output, TG_ROUND_ONNX);
}
