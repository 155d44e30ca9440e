#include "tinygen_kernels.h"

/*
 * FloatGemm and FloatMatMul (src/ops/common/float-gemm.ts): per batch, row and column,
 * acc = 0, then acc = acc + A[r][i] * B[i][c] for i ascending, y = alpha * acc, and with C
 * y = y + beta * C[r][c]; one float32 rounding per operation (-ffp-contract=off: no fused
 * multiply-add).
 */
void tg_float_gemm_f32(const tg_float_gemm_t *p, const float *a, const float *b, const float *c, float *y)
{
    for (int32_t batch = 0; batch < p->batch; batch++) {
        const float *a_matrix = a + (p->a_offsets ? p->a_offsets[batch] : 0);
        const float *b_matrix = b + (p->b_offsets ? p->b_offsets[batch] : 0);
        for (int32_t row = 0; row < p->m; row++) {
            const float *a_row = a_matrix + row * p->a_row_stride;
            for (int32_t col = 0; col < p->n; col++) {
                const float *b_col = b_matrix + col * p->b_col_stride;
                float acc = 0.0f;
                for (int32_t i = 0; i < p->k; i++) {
                    const float product = a_row[i * p->a_col_stride] * b_col[i * p->b_row_stride];
                    acc = acc + product;
                }
                float out = p->alpha * acc;
                if (c) {
                    const float term = p->beta * c[row * p->c_row_stride + col * p->c_col_stride];
                    out = out + term;
                }
                *y++ = out;
            }
        }
    }
}
