#include "tinygen_kernels.h"

/*
 * ONNX Runtime's float GlobalAveragePool (MLAS's global kernel): 4 float lanes over the spatial
 * positions, (l0 + l2) + (l1 + l3), then the leftovers; divided by the count; then QuantizeLinear.
 */
static int32_t tg_global_avgpool_float(const tg_global_avgpool_t *p, const int8_t *x)
{
    const int32_t body = p->spatial - p->spatial % 4;
    float lane[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
    for (int32_t s = 0; s < body; s++) {
        lane[s % 4] += (float)((int32_t)x[s * p->spatial_stride] - p->in_zero_point) * p->in_scale;
    }
    float sum = (lane[0] + lane[2]) + (lane[1] + lane[3]);
    for (int32_t s = body; s < p->spatial; s++) {
        sum += (float)((int32_t)x[s * p->spatial_stride] - p->in_zero_point) * p->in_scale;
    }
    const float lo = (float)(-128 - p->rq.zero_point);
    const float hi = (float)(127 - p->rq.zero_point);
    float v = sum / (float)p->spatial / p->out_scale;
    v = v < lo ? lo : (v > hi ? hi : v);
    return tg_round_half_even_f32(v) + p->rq.zero_point;
}

void tg_global_avgpool_s8(const tg_global_avgpool_t *p, const int8_t *input, int8_t *output)
{
    for (int32_t b = 0; b < p->batch; b++) {
        for (int32_t c = 0; c < p->channels; c++) {
            const int8_t *x = input + b * p->batch_stride + c * p->channel_stride;
            if (p->float_path) {
                *output++ = (int8_t)tg_global_avgpool_float(p, x);
                continue;
            }
            int32_t acc = 0;
            for (int32_t s = 0; s < p->spatial; s++) {
                acc += (int32_t)x[s * p->spatial_stride] - p->in_zero_point;
            }
            int32_t result;
            if (p->rq.mode == TG_ROUND_ONNX) {
                result = tg_requantize(&p->rq, 0, acc);
            } else {
                /* TFLM's integer MEAN: scale the sum, then divide by the count rounding half away from zero */
                const int64_t scaled = tg_requant_tflite(acc, p->rq.multiplier[0], p->rq.shift[0], 0, INT32_MIN, INT32_MAX);
                const int64_t half = p->spatial / 2;
                const int64_t mean = (scaled > 0 ? scaled + half : scaled - half) / p->spatial;
                const int64_t v = mean + p->rq.zero_point;
                result = (int32_t)(v < -128 ? -128 : (v > 127 ? 127 : v));
            }
            *output++ = (int8_t)result;
        }
    }
}
