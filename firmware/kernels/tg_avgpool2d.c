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
                const int32_t count = p->count_include_pad ? w->k_h * w->k_w : valid;
                for (int32_t c = 0; c < w->in_c; c++) {
                    const int8_t *image = input + b * p->in_stride[0] + c * p->in_stride[3];
                    int32_t result;
                    if (p->mode == TG_ROUND_ONNX && !p->global) {
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
