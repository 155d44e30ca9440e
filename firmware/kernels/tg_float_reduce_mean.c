#include "tinygen_kernels.h"

/* Advances a row-major odometer over `rank` axes, keeping `offset` = sum of idx * stride; 0 when it wraps. */
static int32_t float_walk_next(int32_t rank, const int32_t *dim, const int32_t *stride, int32_t *idx, int32_t *offset)
{
    for (int32_t a = rank - 1; a >= 0; a--) {
        idx[a]++;
        *offset += stride[a];
        if (idx[a] < dim[a]) return 1;
        *offset -= stride[a] * dim[a];
        idx[a] = 0;
    }
    return 0;
}

/*
 * FloatReduceMean (src/ops/float-reduce-mean): per output (kept axes in row-major order),
 * sum = sum + x over the reduced elements in row-major order from -0.0f, then sum / count.
 */
void tg_float_reduce_mean_f32(const tg_float_reduce_t *p, const float *x, float *y)
{
    int32_t kept_idx[TG_FLOAT_REDUCE_MAX_RANK] = { 0 };
    int32_t base = 0;
    do {
        int32_t red_idx[TG_FLOAT_REDUCE_MAX_RANK] = { 0 };
        int32_t offset = 0;
        float sum = -0.0f;
        do {
            sum = sum + x[base + offset];
        } while (float_walk_next(p->reduced_rank, p->reduced_dim, p->reduced_stride, red_idx, &offset));
        *y++ = sum / (float)p->count;
    } while (float_walk_next(p->kept_rank, p->kept_dim, p->kept_stride, kept_idx, &base));
}
