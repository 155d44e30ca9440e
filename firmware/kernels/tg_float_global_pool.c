#include <math.h>
#include "tinygen_kernels.h"

/*
 * FloatGlobalAveragePool (src/ops/float-global-average-pool): per plane, sum = sum + x over its
 * elements in order from -0.0f, then sum / plane_size.
 */
void tg_float_global_avgpool_f32(const float *x, float *y, int32_t planes, int32_t plane_size)
{
    for (int32_t c = 0; c < planes; c++) {
        float sum = -0.0f;
        for (int32_t i = 0; i < plane_size; i++) sum = sum + x[c * plane_size + i];
        y[c] = sum / (float)plane_size;
    }
}

/* FloatGlobalMaxPool (src/ops/float-global-max-pool): per plane, the largest element from -infinity (replaced only when greater). */
void tg_float_global_maxpool_f32(const float *x, float *y, int32_t planes, int32_t plane_size)
{
    for (int32_t c = 0; c < planes; c++) {
        float best = -INFINITY;
        for (int32_t i = 0; i < plane_size; i++) {
            const float v = x[c * plane_size + i];
            if (v > best) best = v;
        }
        y[c] = best;
    }
}
