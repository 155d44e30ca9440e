/*
 * QLinearConv. For each output pixel and group, the receptive field is gathered once into the
 * patch scratch buffer (int16, input zero point already subtracted, padding as 0), then every
 * output channel of the group is one dot product of the patch with its filter:
 *   sum (x - zx)(w - zw) = sum (x - zx) w  -  zw * sum (x - zx).
 * Depthwise layers (one input channel per group, several groups) have nothing to share between
 * channels and walk the input directly, with the bounds worked out once per pixel. Sums run in uint32 so they wrap
 * modulo 2^32 like the reference's int32, without C's signed-overflow UB; integer sums do not
 * depend on their order, so every path gives the reference's bytes.
 */
#include <string.h>

#include "tinygen_kernels.h"
#include "tg_requant.h"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define TG_CONV_MVE 1
#elif defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define TG_CONV_DSP 1
#endif

/* sum patch[t] * filter[t] over t < taps. */
static uint32_t tg_dot_s16_s8(const int16_t *patch, const int8_t *filter, int32_t taps)
{
    uint32_t acc = 0u;
    int32_t t = 0;
#if defined(TG_CONV_MVE)
    /* Eight taps per step: the filter's bytes widen to halfword lanes as they load, and VMLADAVA
     * adds the eight products to the sum; the last step's lanes past `taps` are predicated off. */
    int32_t sum = 0;
    for (; t < taps; t += 8) {
        const mve_pred16_t lanes = vctp16q((uint32_t)(taps - t));
        const int16x8_t x = vld1q_z_s16(patch + t, lanes);
        const int16x8_t k = vldrbq_z_s16(filter + t, lanes);
        sum = vmladavaq_p_s16(sum, x, k, lanes);
    }
    acc = (uint32_t)sum;
#elif defined(TG_CONV_DSP)
    /* Four taps per step: SXTB16 widens the filter's bytes 0 and 2 (and, rotated, 1 and 3) to
     * halfword pairs, which the patch holds in that order (tg_patch_slot); SMLAD does two MACs. */
    int32_t sum = 0;
    for (; t + 4 <= taps; t += 4) {
        uint32_t w4, x02, x13;
        memcpy(&w4, filter + t, 4);
        memcpy(&x02, patch + t, 4);
        memcpy(&x13, patch + t + 2, 4);
        sum = __smlad((int16x2_t)x02, __sxtb16((int8x4_t)w4), sum);
        sum = __smlad((int16x2_t)x13, __sxtb16((int8x4_t)((w4 >> 8) | (w4 << 24))), sum);
    }
    acc = (uint32_t)sum;
#else
    for (; t + 4 <= taps; t += 4) {
        acc += (uint32_t)(patch[t] * filter[t]) + (uint32_t)(patch[t + 1] * filter[t + 1]) + (uint32_t)(patch[t + 2] * filter[t + 2]) +
               (uint32_t)(patch[t + 3] * filter[t + 3]);
    }
#endif
    for (; t < taps; t++) {
        acc += (uint32_t)(patch[t] * filter[t]);
    }
    return acc;
}

#ifdef TG_CONV_DSP
/*
 * Where tap t goes in the patch: within each whole block of four, taps 1 and 2 swap places, so
 * the dot product loads (x0, x2) and (x1, x3) as words, the pairs SXTB16 makes of the filter.
 */
static inline int32_t tg_patch_slot(int32_t t, int32_t whole_blocks_end)
{
    return t < whole_blocks_end ? (t & ~3) | ((t & 1) << 1) | ((t & 2) >> 1) : t;
}
#else
static inline int32_t tg_patch_slot(int32_t t, int32_t whole_blocks_end)
{
    (void)whole_blocks_end;
    return t;
}
#endif

/* The receptive field of output (oy, ox) for input channels [first_in, first_in + count). */
static void tg_gather_patch(const tg_window_t *w, const int8_t *image, int32_t oy, int32_t ox, int32_t first_in, int32_t count,
                            int32_t zero_point, int16_t *patch)
{
    const int32_t y0 = oy * w->stride_h - w->pad_top;
    const int32_t x0 = ox * w->stride_w - w->pad_left;
    const int32_t whole_blocks_end = (w->k_h * w->k_w * count) & ~3;
    int32_t t = 0;
    for (int32_t ky = 0; ky < w->k_h; ky++) {
        const int32_t iy = y0 + ky * w->dil_h;
        for (int32_t kx = 0; kx < w->k_w; kx++) {
            const int32_t ix = x0 + kx * w->dil_w;
            if (iy < 0 || iy >= w->in_h || ix < 0 || ix >= w->in_w) {
                for (int32_t c = 0; c < count; c++, t++) {
                    patch[tg_patch_slot(t, whole_blocks_end)] = 0;
                }
                continue;
            }
            const int8_t *pixel = image + (iy * w->in_w + ix) * w->in_c + first_in;
            for (int32_t c = 0; c < count; c++, t++) {
                patch[tg_patch_slot(t, whole_blocks_end)] = (int16_t)(pixel[c] - zero_point);
            }
        }
    }
}

static uint32_t tg_sum_s16(const int16_t *values, int32_t count)
{
    uint32_t sum = 0u;
    for (int32_t i = 0; i < count; i++) {
        sum += (uint32_t)values[i];
    }
    return sum;
}

/*
 * The callers pass the requantization constants and bias from locals: int8_t stores may alias
 * anything, so read through the parameter struct they would be reloaded after every output byte.
 */
static inline int8_t tg_conv_output(const tg_channel_requant_t *rq, const int32_t *bias, int32_t oc, uint32_t acc, int32_t mode)
{
    acc += bias ? (uint32_t)bias[oc] : 0u;
    return tg_requant_channel(rq, oc, (int32_t)acc, mode);
}

/*
 * One input channel per group (depthwise): output channel oc reads input channel oc / multiplier,
 * and the weights are [k_h][k_w][out_c], so channels are the inner loop and each tap is a run of
 * contiguous bytes of input and of weights. With multiplier 1, four channels at a time.
 */
static inline __attribute__((always_inline)) void tg_depthwise_pixel(const tg_conv2d_t *p, const tg_channel_requant_t *rq, const int8_t *image, int32_t oy, int32_t ox,
                                                                     int8_t *out, int32_t mode)
{
    const int32_t *bias = p->bias;
    const tg_window_t *w = &p->win;
    const int32_t channels = w->out_c;
    const int32_t multiplier = channels / w->in_c;
    const int32_t zx = p->in_zero_point;
    const int32_t *wzp = p->weight_zero_points;
    const int8_t *weights = p->weights;
    /* Locals, not reads through p: the output stores (int8_t) would force reloads. */
    const int32_t in_w = w->in_w, in_c = w->in_c, k_w = w->k_w, dil_h = w->dil_h, dil_w = w->dil_w;
    const int32_t y0 = oy * w->stride_h - w->pad_top;
    const int32_t x0 = ox * w->stride_w - w->pad_left;
    /* The taps inside the input: ky in [ky0, ky1), kx in [kx0, kx1). */
    int32_t ky0 = 0, ky1 = w->k_h, kx0 = 0, kx1 = w->k_w;
    while (ky0 < ky1 && y0 + ky0 * w->dil_h < 0) ky0++;
    while (ky1 > ky0 && y0 + (ky1 - 1) * w->dil_h >= w->in_h) ky1--;
    while (kx0 < kx1 && x0 + kx0 * w->dil_w < 0) kx0++;
    while (kx1 > kx0 && x0 + (kx1 - 1) * w->dil_w >= w->in_w) kx1--;
    int32_t oc = 0;
    if (multiplier == 1) {
        for (; oc + 4 <= channels; oc += 4) {
            const int32_t z0 = wzp ? wzp[oc] : 0, z1 = wzp ? wzp[oc + 1] : 0, z2 = wzp ? wzp[oc + 2] : 0, z3 = wzp ? wzp[oc + 3] : 0;
            uint32_t a0 = 0u, a1 = 0u, a2 = 0u, a3 = 0u;
            for (int32_t ky = ky0; ky < ky1; ky++) {
                const int32_t row = (y0 + ky * dil_h) * in_w;
                for (int32_t kx = kx0; kx < kx1; kx++) {
                    const int8_t *x = image + (row + x0 + kx * dil_w) * channels + oc;
                    const int8_t *k = weights + (ky * k_w + kx) * channels + oc;
                    a0 += (uint32_t)((x[0] - zx) * (k[0] - z0));
                    a1 += (uint32_t)((x[1] - zx) * (k[1] - z1));
                    a2 += (uint32_t)((x[2] - zx) * (k[2] - z2));
                    a3 += (uint32_t)((x[3] - zx) * (k[3] - z3));
                }
            }
            out[oc] = tg_conv_output(rq, bias, oc, a0, mode);
            out[oc + 1] = tg_conv_output(rq, bias, oc + 1, a1, mode);
            out[oc + 2] = tg_conv_output(rq, bias, oc + 2, a2, mode);
            out[oc + 3] = tg_conv_output(rq, bias, oc + 3, a3, mode);
        }
    }
    for (; oc < channels; oc++) {
        const int32_t ic = oc / multiplier;
        const int32_t z = wzp ? wzp[oc] : 0;
        uint32_t acc = 0u;
        for (int32_t ky = ky0; ky < ky1; ky++) {
            const int32_t row = (y0 + ky * dil_h) * in_w;
            for (int32_t kx = kx0; kx < kx1; kx++) {
                const int8_t x = image[(row + x0 + kx * dil_w) * in_c + ic];
                acc += (uint32_t)((x - zx) * (weights[(ky * k_w + kx) * channels + oc] - z));
            }
        }
        out[oc] = tg_conv_output(rq, bias, oc, acc, mode);
    }
}

static inline __attribute__((always_inline)) void tg_conv2d_body(const tg_conv2d_t *p, const int8_t *input, int8_t *output, int16_t *patch, int32_t mode)
{
    const tg_channel_requant_t rq = p->rq;
    const int32_t *bias = p->bias;
    const int8_t *weights = p->weights;
    const int32_t *weight_zero_points = p->weight_zero_points;
    const tg_window_t *w = &p->win;
    const int32_t in_per_group = w->in_c / p->groups;
    const int32_t out_per_group = w->out_c / p->groups;
    const int32_t taps = w->k_h * w->k_w * in_per_group;
    for (int32_t b = 0; b < w->batch; b++) {
        const int8_t *image = input + b * w->in_h * w->in_w * w->in_c;
        for (int32_t oy = 0; oy < w->out_h; oy++) {
            for (int32_t ox = 0; ox < w->out_w; ox++, output += w->out_c) {
                if (in_per_group == 1 && p->groups > 1) {
                    tg_depthwise_pixel(p, &rq, image, oy, ox, output, mode);
                    continue;
                }
                for (int32_t g = 0; g < p->groups; g++) {
                    tg_gather_patch(w, image, oy, ox, g * in_per_group, in_per_group, p->in_zero_point, patch);
                    const uint32_t patch_sum = weight_zero_points ? tg_sum_s16(patch, taps) : 0u;
                    for (int32_t oc = g * out_per_group; oc < (g + 1) * out_per_group; oc++) {
                        uint32_t acc = tg_dot_s16_s8(patch, weights + oc * taps, taps);
                        if (weight_zero_points) {
                            acc -= (uint32_t)weight_zero_points[oc] * patch_sum;
                        }
                        output[oc] = tg_conv_output(&rq, bias, oc, acc, mode);
                    }
                }
            }
        }
    }
}

void tg_conv2d_s8_tflite(const tg_conv2d_t *p, const int8_t *input, int8_t *output, int16_t *patch)
{
    tg_conv2d_body(p, input, output, patch, TG_ROUND_TFLITE);
}

void tg_conv2d_s8_onnx(const tg_conv2d_t *p, const int8_t *input, int8_t *output, int16_t *patch)
{
    tg_conv2d_body(p, input, output, patch, TG_ROUND_ONNX);
}
