#include "tinygen_kernels.h"

void tg_global_avgpool_s8(const tg_global_avgpool_t *p, const int8_t *input, int8_t *output)
{
    for (int32_t b = 0; b < p->batch; b++) {
        for (int32_t c = 0; c < p->channels; c++) {
            const int8_t *x = input + b * p->batch_stride + c * p->channel_stride;
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
