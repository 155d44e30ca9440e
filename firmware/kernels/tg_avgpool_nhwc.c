/*
 * Average pooling as TFLM's AVERAGE_POOL_2D computes it when the output keeps the input's
 * quantization (the only case its int8 kernel takes): per output pixel the taps inside the input,
 * their raw bytes summed per channel, the sum divided by the count rounding half away from zero.
 * NHWC with channels innermost: the sums of a block of channels run along contiguous bytes.
 */
#include "tinygen_kernels.h"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define TG_AVG_MVE 1
#endif

#if defined(TG_AVG_MVE) && (__ARM_FEATURE_MVE & 2)
/*
 * tg_avg_divide on four lanes, in float32 (MVE has no integer division): n = sum +- count / 2,
 * truncated toward zero after division by the count, is the truncation of t = (n +- 0.5) / count
 * (the half moves n / count by less than the 1 / count that separates it from the next integer),
 * and t stays at least 0.5 / count away from an integer. n +- 0.5 is exact in float32, and the
 * product with the rounded reciprocal is within |t| 2^-23 of t, less than 0.5 / count when
 * |n| < 2^22, which holds for count <= 2^14 (|n| <= 128.5 count). Then VCVT truncates.
 */
#define TG_AVG_VECTOR_DIVIDE 1
static inline int32x4_t tg_avg_divide_lanes(int32x4_t sum, int32_t count, float reciprocal)
{
    const mve_pred16_t positive = vcmpgtq_n_s32(sum, 0);
    const int32x4_t n = vaddq_s32(sum, vpselq_s32(vdupq_n_s32(count / 2), vdupq_n_s32(-(count / 2)), positive));
    const float32x4_t t = vaddq_f32(vcvtq_f32_s32(n), vpselq_f32(vdupq_n_f32(0.5f), vdupq_n_f32(-0.5f), vcmpgeq_n_s32(n, 0)));
    const int32x4_t q = vcvtq_s32_f32(vmulq_n_f32(t, reciprocal));
    return vmaxq_s32(vminq_s32(q, vdupq_n_s32(127)), vdupq_n_s32(-128));
}
#endif

/* TFLM's rounding division of a sum by the tap count, half away from zero. */
static inline int32_t tg_avg_rounded(int32_t sum, int32_t count)
{
    const int32_t half = count / 2;
    return sum > 0 ? (sum + half) / count : (sum - half) / count;
}

static inline int8_t tg_avg_divide(int32_t sum, int32_t count)
{
    return (int8_t)tg_clamp_i32(tg_avg_rounded(sum, count), -128, 127);
}

void tg_avgpool_nhwc_s8_tflite(const tg_window_t *w, const int8_t *input, int8_t *output)
{
    const int32_t channels = w->in_c;
    for (int32_t b = 0; b < w->batch; b++) {
        const int8_t *image = input + b * w->in_h * w->in_w * channels;
        for (int32_t oy = 0; oy < w->out_h; oy++) {
            const int32_t y0 = oy * w->stride_h - w->pad_top;
            const int32_t ys = y0 < 0 ? 0 : y0, ye = y0 + w->k_h < w->in_h ? y0 + w->k_h : w->in_h;
            for (int32_t ox = 0; ox < w->out_w; ox++, output += channels) {
                const int32_t x0 = ox * w->stride_w - w->pad_left;
                const int32_t xs = x0 < 0 ? 0 : x0, xe = x0 + w->k_w < w->in_w ? x0 + w->k_w : w->in_w;
                const int32_t count = (ye - ys) * (xe - xs);
                int32_t c = 0;
#if defined(TG_AVG_MVE)
                /* Sixteen whole channels at a time in four int32x4 sums, then four per step with the
                 * last step's extra lanes predicated off. */
                for (; c + 16 <= channels; c += 16) {
                    int32x4_t s0 = vdupq_n_s32(0), s1 = s0, s2 = s0, s3 = s0;
                    for (int32_t iy = ys; iy < ye; iy++) {
                        const int8_t *row = image + (iy * w->in_w + xs) * channels + c;
                        for (int32_t ix = xs; ix < xe; ix++, row += channels) {
                            s0 = vaddq_s32(s0, vldrbq_s32(row));
                            s1 = vaddq_s32(s1, vldrbq_s32(row + 4));
                            s2 = vaddq_s32(s2, vldrbq_s32(row + 8));
                            s3 = vaddq_s32(s3, vldrbq_s32(row + 12));
                        }
                    }
#if defined(TG_AVG_VECTOR_DIVIDE)
                    if (count <= 16384) {
                        const float reciprocal = 1.0f / (float)count;
                        vstrbq_s32(output + c, tg_avg_divide_lanes(s0, count, reciprocal));
                        vstrbq_s32(output + c + 4, tg_avg_divide_lanes(s1, count, reciprocal));
                        vstrbq_s32(output + c + 8, tg_avg_divide_lanes(s2, count, reciprocal));
                        vstrbq_s32(output + c + 12, tg_avg_divide_lanes(s3, count, reciprocal));
                        continue;
                    }
#endif
                    int32_t sums[16];
                    vst1q_s32(sums, s0);
                    vst1q_s32(sums + 4, s1);
                    vst1q_s32(sums + 8, s2);
                    vst1q_s32(sums + 12, s3);
                    for (int32_t i = 0; i < 16; i++) {
                        output[c + i] = tg_avg_divide(sums[i], count);
                    }
                }
                for (; c < channels; c += 4) {
                    const mve_pred16_t lanes = vctp32q((uint32_t)(channels - c));
                    int32x4_t sum = vdupq_n_s32(0);
                    for (int32_t iy = ys; iy < ye; iy++) {
                        const int8_t *row = image + (iy * w->in_w + xs) * channels + c;
                        for (int32_t ix = xs; ix < xe; ix++, row += channels) {
                            sum = vaddq_s32(sum, vldrbq_z_s32(row, lanes));
                        }
                    }
                    int32_t sums[4];
                    vst1q_s32(sums, sum);
                    for (int32_t i = 0; i < 4 && c + i < channels; i++) {
                        output[c + i] = tg_avg_divide(sums[i], count);
                    }
                }
#else
                for (; c + 4 <= channels; c += 4) {
                    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    for (int32_t iy = ys; iy < ye; iy++) {
                        const int8_t *row = image + (iy * w->in_w + xs) * channels + c;
                        for (int32_t ix = xs; ix < xe; ix++, row += channels) {
                            s0 += row[0];
                            s1 += row[1];
                            s2 += row[2];
                            s3 += row[3];
                        }
                    }
                    output[c] = tg_avg_divide(s0, count);
                    output[c + 1] = tg_avg_divide(s1, count);
                    output[c + 2] = tg_avg_divide(s2, count);
                    output[c + 3] = tg_avg_divide(s3, count);
                }
                for (; c < channels; c++) {
                    int32_t sum = 0;
                    for (int32_t iy = ys; iy < ye; iy++) {
                        for (int32_t ix = xs; ix < xe; ix++) {
                            sum += image[(iy * w->in_w + ix) * channels + c];
                        }
                    }
                    output[c] = tg_avg_divide(sum, count);
                }
#endif
            }
        }
    }
}

/* TFLM's int16 rounding division, clamped to the activation range. */
static inline int16_t tg_avg_divide_s16(int32_t sum, int32_t count, int32_t act_min, int32_t act_max)
{
    return (int16_t)tg_clamp_i32(tg_avg_rounded(sum, count), act_min, act_max);
}

/*
 * TFLM's int16 AVERAGE_POOL_2D, the same walk as the s8 kernel in plain C. The compiler limits a
 * window to 65535 taps, so the int32 sums and the rounding offset cannot overflow.
 */
void tg_avgpool_nhwc_s16(const tg_window_t *w, int32_t act_min, int32_t act_max, const int16_t *input, int16_t *output)
{
    const int32_t channels = w->in_c;
    for (int32_t b = 0; b < w->batch; b++) {
        const int16_t *image = input + b * w->in_h * w->in_w * channels;
        for (int32_t oy = 0; oy < w->out_h; oy++) {
            const int32_t y0 = oy * w->stride_h - w->pad_top;
            const int32_t ys = y0 < 0 ? 0 : y0, ye = y0 + w->k_h < w->in_h ? y0 + w->k_h : w->in_h;
            for (int32_t ox = 0; ox < w->out_w; ox++, output += channels) {
                const int32_t x0 = ox * w->stride_w - w->pad_left;
                const int32_t xs = x0 < 0 ? 0 : x0, xe = x0 + w->k_w < w->in_w ? x0 + w->k_w : w->in_w;
                const int32_t count = (ye - ys) * (xe - xs);
                int32_t c = 0;
                for (; c + 4 <= channels; c += 4) {
                    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    for (int32_t iy = ys; iy < ye; iy++) {
                        const int16_t *row = image + (iy * w->in_w + xs) * channels + c;
                        for (int32_t ix = xs; ix < xe; ix++, row += channels) {
                            s0 += row[0];
                            s1 += row[1];
                            s2 += row[2];
                            s3 += row[3];
                        }
                    }
                    output[c] = tg_avg_divide_s16(s0, count, act_min, act_max);
                    output[c + 1] = tg_avg_divide_s16(s1, count, act_min, act_max);
                    output[c + 2] = tg_avg_divide_s16(s2, count, act_min, act_max);
                    output[c + 3] = tg_avg_divide_s16(s3, count, act_min, act_max);
                }
                for (; c < channels; c++) {
                    int32_t sum = 0;
                    for (int32_t iy = ys; iy < ye; iy++) {
                        for (int32_t ix = xs; ix < xe; ix++) {
                            sum += image[(iy * w->in_w + ix) * channels + c];
                        }
                    }
                    output[c] = tg_avg_divide_s16(sum, count, act_min, act_max);
                }
            }
        }
    }
}
