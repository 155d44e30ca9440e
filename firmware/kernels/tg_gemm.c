#include "tinygen_kernels.h"

/*
 * One accumulator of tg_gemm_t. The sum runs in uint32 so that it wraps modulo 2^32 as the
 * reference's int32 does, without C's signed-overflow UB; the result is its int32 reading.
 */
static inline int32_t tg_gemm_dot(const tg_gemm_t *p, const int8_t *a_row, const int8_t *b_col, int32_t row, int32_t col)
{
    const int32_t zb = p->b_zero_points ? p->b_zero_points[col] : 0;
    uint32_t acc = p->bias ? (uint32_t)p->bias[row * p->bias_row_stride + col * p->bias_col_stride] : 0u;
    const int32_t step = p->a_col_stride;
    for (int32_t i = 0; i < p->k; i++) {
        acc += (uint32_t)(((int32_t)a_row[i * step] - p->a_zero_point) * ((int32_t)b_col[i] - zb));
    }
    return (int32_t)acc;
}

void tg_gemm_s8(const tg_gemm_t *p, const tg_requant_t *rq, const int8_t *a, int8_t *y)
{
    for (int32_t b = 0; b < p->batch; b++) {
        const int8_t *b_matrix = p->b + b * p->b_batch_stride;
        for (int32_t row = 0; row < p->m; row++) {
            const int8_t *a_row = a + b * p->a_batch_stride + row * p->a_row_stride;
            for (int32_t col = 0; col < p->n; col++) {
                *y++ = (int8_t)tg_requantize(rq, col, tg_gemm_dot(p, a_row, b_matrix + col * p->k, row, col));
            }
        }
    }
}

void tg_gemm_s8_s32(const tg_gemm_t *p, const int8_t *a, int32_t *y)
{
    for (int32_t b = 0; b < p->batch; b++) {
        const int8_t *b_matrix = p->b + b * p->b_batch_stride;
        for (int32_t row = 0; row < p->m; row++) {
            const int8_t *a_row = a + b * p->a_batch_stride + row * p->a_row_stride;
            for (int32_t col = 0; col < p->n; col++) {
                *y++ = tg_gemm_dot(p, a_row, b_matrix + col * p->k, row, col);
            }
        }
    }
}

void tg_gemm_s8_f32(const tg_gemm_t *p, const float *scale, int32_t per_column, const int8_t *a, float *y)
{
    for (int32_t b = 0; b < p->batch; b++) {
        const int8_t *b_matrix = p->b + b * p->b_batch_stride;
        for (int32_t row = 0; row < p->m; row++) {
            const int8_t *a_row = a + b * p->a_batch_stride + row * p->a_row_stride;
            for (int32_t col = 0; col < p->n; col++) {
                const int32_t acc = tg_gemm_dot(p, a_row, b_matrix + col * p->k, row, col);
                *y++ = (float)acc * scale[per_column ? col : 0];
            }
        }
    }
}
