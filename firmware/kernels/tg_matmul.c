#include "tinygen_kernels.h"

void tg_matmul_s8(const tg_matmul_t *p, const int8_t *a, int8_t *y)
{
    for (int32_t b = 0; b < p->batch; b++) {
        const int8_t *b_matrix = p->b + b * p->b_batch_stride;
        for (int32_t row = 0; row < p->m; row++) {
            const int8_t *a_row = a + (b * p->m + row) * p->k;
            for (int32_t col = 0; col < p->n; col++) {
                const int8_t *b_col = b_matrix + col * p->k;
                const int32_t zb = p->b_zero_points ? p->b_zero_points[col] : 0;
                int32_t acc = p->bias ? p->bias[col] : 0;
                for (int32_t i = 0; i < p->k; i++) {
                    acc += ((int32_t)a_row[i] - p->a_zero_point) * ((int32_t)b_col[i] - zb);
                }
                *y++ = (int8_t)tg_requantize(&p->rq, col, acc);
            }
        }
    }
}
