#include "tinygen_kernels.h"

/* TFLM's rounded division of a sum by a count: half away from zero (C's '/' truncates). */
static int32_t tg_avgpool_div_round(int32_t acc, int32_t count)
{
    const int64_t half = count / 2;
    return (int32_t)(acc > 0 ? ((int64_t)acc + half) / count : ((int64_t)acc - half) / count);
}

static int32_t tg_avgpool_clamp8(int64_t v)
{
    return (int32_t)(v < -128 ? -128 : (v > 127 ? 127 : v));
}

/* ONNX Runtime's QLinearAveragePool output step: nearbyint(avg / scale + model zero point), saturated. */
static int32_t tg_avgpool_quantize_onnx(const tg_avgpool_t *p, float avg)
{
    const float lo = (float)(-128 + p->out_offset);
    const float hi = (float)(127 + p->out_offset);
    float v = avg / p->out_scale + p->out_zero_point_f;
    v = v < lo ? lo : (v > hi ? hi : v);
    return tg_round_half_even_f32(v) - p->out_offset;
}

/* ONNX Runtime's float AveragePool: the window's dequantized taps summed in float32 in p->float_sum's order. */
static float tg_avgpool_float_sum(const tg_avgpool_t *p, const int8_t *image, int32_t y0, int32_t y1, int32_t x0, int32_t x1)
{
    float sum = 0.0f;
#define TG_AVGPOOL_TAP(iy, ix) ((float)((int32_t)image[(iy) * p->in_stride[1] + (ix) * p->in_stride[2]] - p->in_zero_point) * p->in_scale)
    if (p->float_sum == TG_AVGPOOL_COLUMNS) {
        /* MLAS's vectorized 2-D kernel: each column top to bottom, then the columns left to right */
        for (int32_t ix = x0; ix < x1; ix++) {
            float column = 0.0f;
            for (int32_t iy = y0; iy < y1; iy++) {
                column += TG_AVGPOOL_TAP(iy, ix);
            }
            sum += column;
        }
    } else if (p->float_sum == TG_AVGPOOL_LANES4) {
        /* MLAS's global kernel: 4 lanes over the row-major taps, (l0 + l2) + (l1 + l3), then the leftovers */
        const int32_t width = x1 - x0;
        const int32_t taps = (y1 - y0) * width;
        const int32_t body = taps - taps % 4;
        float lane[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
        for (int32_t i = 0; i < body; i++) {
            lane[i % 4] += TG_AVGPOOL_TAP(y0 + i / width, x0 + i % width);
        }
        sum = (lane[0] + lane[2]) + (lane[1] + lane[3]);
        for (int32_t i = body; i < taps; i++) {
            sum += TG_AVGPOOL_TAP(y0 + i / width, x0 + i % width);
        }
    } else {
        for (int32_t iy = y0; iy < y1; iy++) {
            for (int32_t ix = x0; ix < x1; ix++) {
                sum += TG_AVGPOOL_TAP(iy, ix);
            }
        }
    }
#undef TG_AVGPOOL_TAP
    return sum;
}

/* ONNX Runtime's QuantizeLinear: round half to even of mean / scale, then the zero point, saturated. */
static int32_t tg_avgpool_quantize_linear(const tg_avgpool_t *p, float mean)
{
    const float lo = (float)(-128 - p->out_zero_point);
    const float hi = (float)(127 - p->out_zero_point);
    float v = mean / p->out_scale;
    v = v < lo ? lo : (v > hi ? hi : v);
    return tg_round_half_even_f32(v) + p->out_zero_point;
}

void tg_avgpool2d_s8(const tg_avgpool_t *p, const int8_t *input, int8_t *output)
{
    const tg_window_t *w = &p->win;
    for (int32_t b = 0; b < w->batch; b++) {
        for (int32_t oy = 0; oy < w->out_h; oy++) {
            const int32_t y0 = oy * w->stride_h - w->pad_top;
            const int32_t y_end = y0 + w->k_h < w->in_h ? y0 + w->k_h : w->in_h;
            const int32_t y_start = y0 > 0 ? y0 : 0;
            for (int32_t ox = 0; ox < w->out_w; ox++) {
                const int32_t x0 = ox * w->stride_w - w->pad_left;
                const int32_t x_end = x0 + w->k_w < w->in_w ? x0 + w->k_w : w->in_w;
                const int32_t x_start = x0 > 0 ? x0 : 0;
                const int32_t valid = (y_end - y_start) * (x_end - x_start);
                /* count_include_pad: the kernel area, or (ORT's float pool) the window clipped to the padded input */
                const int32_t y_pad_end = y0 + w->k_h < p->padded_h ? y0 + w->k_h : p->padded_h;
                const int32_t x_pad_end = x0 + w->k_w < p->padded_w ? x0 + w->k_w : p->padded_w;
                const int32_t count = !p->count_include_pad ? valid
                                      : (p->clip_count ? (y_pad_end - y0) * (x_pad_end - x0) : w->k_h * w->k_w);
                for (int32_t c = 0; c < w->in_c; c++) {
                    const int8_t *image = input + b * p->in_stride[0] + c * p->in_stride[3];
                    int32_t result;
                    if (p->mode == TG_ROUND_ONNX && p->float_sum != TG_AVGPOOL_QLINEAR) {
                        const float sum = tg_avgpool_float_sum(p, image, y_start, y_end, x_start, x_end);
                        result = tg_avgpool_quantize_linear(p, sum / (float)count);
                    } else if (p->mode == TG_ROUND_ONNX && !p->global) {
                        /* float32, tap by tap in window order, as ONNX Runtime sums */
                        float sum = 0.0f;
                        for (int32_t iy = y_start; iy < y_end; iy++) {
                            for (int32_t ix = x_start; ix < x_end; ix++) {
                                const int32_t v = image[iy * p->in_stride[1] + ix * p->in_stride[2]];
                                sum += (float)(v - p->in_zero_point) * p->in_scale;
                            }
                        }
                        result = tg_avgpool_quantize_onnx(p, sum / (float)count);
                    } else {
                        int32_t acc = 0;
                        for (int32_t iy = y_start; iy < y_end; iy++) {
                            for (int32_t ix = x_start; ix < x_end; ix++) {
                                acc += (int32_t)image[iy * p->in_stride[1] + ix * p->in_stride[2]] - p->in_zero_point;
                            }
                        }
                        if (p->mode == TG_ROUND_ONNX) {
                            result = tg_requantize(&p->rq, 0, acc);
                        } else if (p->same_quant) {
                            /* TFLM: the raw values' sum; counted padding holds the zero point */
                            result = tg_avgpool_clamp8(tg_avgpool_div_round(acc + p->in_zero_point * count, count));
                        } else {
                            const int32_t scaled = tg_requant_tflite(acc, p->rq.multiplier[0], p->rq.shift[0], 0, INT32_MIN, INT32_MAX);
                            result = tg_avgpool_clamp8((int64_t)tg_avgpool_div_round(scaled, count) + p->rq.zero_point);
                        }
                    }
                    output[b * p->out_stride[0] + oy * p->out_stride[1] + ox * p->out_stride[2] + c * p->out_stride[3]] = (int8_t)result;
                }
            }
        }
    }
}
