/*
 * Float softmax (src/ops/float-softmax): per row, the maximum, expf(x - max) in index order into
 * the output, their float32 sum in index order, then each divided by the sum; NaN stored as
 * 0x7fc00000.
 */
#include <string.h>
#include "tinygen_kernels.h"
#include "tg_float_math.h"

void tg_float_softmax(const tg_float_softmax_t *p, const float *input, float *output)
{
    const int32_t step = p->inner;
    for (int32_t o = 0; o < p->outer; o++) {
        for (int32_t i = 0; i < p->inner; i++) {
            const int32_t base = o * p->length * p->inner + i;
            float m = input[base];
            for (int32_t j = 1; j < p->length; j++) {
                const float v = input[base + j * step];
                if (v > m) {
                    m = v;
                }
            }
            float sum = 0.0f;
            for (int32_t j = 0; j < p->length; j++) {
                const float e = tg_expf(input[base + j * step] - m);
                output[base + j * step] = e;
                sum = sum + e;
            }
            for (int32_t j = 0; j < p->length; j++) {
                const float y = output[base + j * step] / sum;
                if (y != y) {
                    const uint32_t nan_bits = 0x7fc00000u;
                    memcpy(&output[base + j * step], &nan_bits, sizeof nan_bits);
                } else {
                    output[base + j * step] = y;
                }
            }
        }
    }
}
