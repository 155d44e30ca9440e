#include "tinygen_kernels.h"

/* Advances a row-major walk over `rank` axes; keeps the storage and logical offsets. */
static void tg_reduce_step(int32_t rank, const int32_t *dim, const int32_t *stride, const int32_t *logical,
                           int32_t *index, int32_t *offset, int32_t *logical_offset)
{
    for (int32_t a = rank - 1; a >= 0; a--) {
        index[a]++;
        *offset += stride[a];
        *logical_offset += logical[a];
        if (index[a] < dim[a]) {
            return;
        }
        *offset -= stride[a] * dim[a];
        *logical_offset -= logical[a] * dim[a];
        index[a] = 0;
    }
}

static int32_t tg_reduce_count(int32_t rank, const int32_t *dim)
{
    int32_t n = 1;
    for (int32_t a = 0; a < rank; a++) {
        n *= dim[a];
    }
    return n;
}

static float tg_reduce_value(const tg_reduce_mean_t *p, const int8_t *x, int32_t i)
{
    return (float)((int32_t)x[i * p->seg_stride] - p->in_zero_point) * p->in_scale;
}

/* Eigen 3.4's vectorized float sum (SSE: two 4-lane packets), as ONNX Runtime's reductions run it. */
static float tg_reduce_eigen(const tg_reduce_mean_t *p, const int8_t *x, int32_t aligned_start)
{
    const int32_t n = p->seg_len;
    const int32_t head = aligned_start < n ? aligned_start : n;
    const int32_t aligned = (n - head) / 4 * 4;
    const int32_t aligned2 = (n - head) / 8 * 8;
    float r;
    if (aligned == 0) {
        r = tg_reduce_value(p, x, 0);
        for (int32_t i = 1; i < n; i++) {
            r += tg_reduce_value(p, x, i);
        }
        return r;
    }
    float p0[4], p1[4];
    for (int32_t k = 0; k < 4; k++) {
        p0[k] = tg_reduce_value(p, x, head + k);
    }
    if (aligned > 4) {
        for (int32_t k = 0; k < 4; k++) {
            p1[k] = tg_reduce_value(p, x, head + 4 + k);
        }
        for (int32_t i = head + 8; i < head + aligned2; i += 8) {
            for (int32_t k = 0; k < 4; k++) {
                p0[k] += tg_reduce_value(p, x, i + k);
                p1[k] += tg_reduce_value(p, x, i + 4 + k);
            }
        }
        for (int32_t k = 0; k < 4; k++) {
            p0[k] += p1[k];
        }
        if (aligned > aligned2) {
            for (int32_t k = 0; k < 4; k++) {
                p0[k] += tg_reduce_value(p, x, head + aligned2 + k);
            }
        }
    }
    r = (p0[0] + p0[2]) + (p0[1] + p0[3]);
    for (int32_t i = 0; i < head; i++) {
        r += tg_reduce_value(p, x, i);
    }
    for (int32_t i = head + aligned; i < n; i++) {
        r += tg_reduce_value(p, x, i);
    }
    return r;
}

/* MLAS's order for a middle reduction: blocks of 4, then a pair, then one. */
static float tg_reduce_block4(const tg_reduce_mean_t *p, const int8_t *x)
{
    const int32_t n = p->seg_len;
    float acc = 0.0f;
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        float block = tg_reduce_value(p, x, i) + tg_reduce_value(p, x, i + 1);
        block += tg_reduce_value(p, x, i + 2);
        block += tg_reduce_value(p, x, i + 3);
        acc += block;
    }
    if (i + 2 <= n) {
        acc += tg_reduce_value(p, x, i) + tg_reduce_value(p, x, i + 1);
        i += 2;
    }
    if (i < n) {
        acc += tg_reduce_value(p, x, i);
    }
    return acc;
}

void tg_reduce_mean_s8(const tg_reduce_mean_t *p, const int8_t *input, int8_t *output)
{
    const int32_t outputs = tg_reduce_count(p->kept_rank, p->kept_dim);
    const int32_t outers = tg_reduce_count(p->outer_rank, p->outer_dim);
    int32_t kept_index[6] = { 0 };
    int32_t kept_offset = 0, kept_logical = 0;
    for (int32_t o = 0; o < outputs; o++) {
        int32_t outer_index[6] = { 0 };
        int32_t outer_offset = 0, outer_logical = 0;
        int32_t result;
        if (p->rq.mode == TG_ROUND_TFLITE) {
            /* TFLM's integer MEAN: the sum requantized once, 1 / count folded into the multiplier */
            int32_t acc = 0;
            for (int32_t r = 0; r < outers; r++) {
                const int8_t *x = input + kept_offset + outer_offset;
                for (int32_t s = 0; s < p->seg_len; s++) {
                    acc += (int32_t)x[s * p->seg_stride] - p->in_zero_point;
                }
                tg_reduce_step(p->outer_rank, p->outer_dim, p->outer_stride, p->outer_logical, outer_index, &outer_offset, &outer_logical);
            }
            result = tg_requant_tflite(acc, p->rq.multiplier[0], p->rq.shift[0], p->rq.zero_point, -128, 127);
        } else {
            float sum = 0.0f;
            for (int32_t r = 0; r < outers; r++) {
                const int8_t *x = input + kept_offset + outer_offset;
                if (p->seg_kind == TG_SUM_CHAIN) {
                    for (int32_t s = 0; s < p->seg_len; s++) {
                        sum += tg_reduce_value(p, x, s);
                    }
                } else if (p->seg_kind == TG_SUM_EIGEN) {
                    const int32_t logical = kept_logical + outer_logical;
                    sum += tg_reduce_eigen(p, x, (4 - logical % 4) % 4);
                } else {
                    sum += tg_reduce_block4(p, x);
                }
                tg_reduce_step(p->outer_rank, p->outer_dim, p->outer_stride, p->outer_logical, outer_index, &outer_offset, &outer_logical);
            }
            /* ONNX Runtime's QuantizeLinear of the float mean */
            const float lo = (float)(-128 - p->rq.zero_point);
            const float hi = (float)(127 - p->rq.zero_point);
            float v = sum / (float)p->count / p->out_scale;
            v = v < lo ? lo : (v > hi ? hi : v);
            result = tg_round_half_even_f32(v) + p->rq.zero_point;
        }
        output[o] = (int8_t)result;
        tg_reduce_step(p->kept_rank, p->kept_dim, p->kept_stride, p->kept_logical, kept_index, &kept_offset, &kept_logical);
    }
}

/*
 * TFLM's int16 MEAN (QuantizedMeanOrSum<int16_t, int32_t>): the sum of x - zero point over the
 * reduced axes in int32, wrapping on overflow as TFLM's accumulation does (done in uint32, where
 * wrapping is defined), then one requantization by the multiplier with 1 / count folded in.
 */
void tg_reduce_mean_s16(const tg_reduce_mean_t *p, const int16_t *input, int16_t *output)
{
    const int32_t outputs = tg_reduce_count(p->kept_rank, p->kept_dim);
    const int32_t outers = tg_reduce_count(p->outer_rank, p->outer_dim);
    const uint32_t zero_point = (uint32_t)p->in_zero_point;
    int32_t kept_index[6] = { 0 };
    int32_t kept_offset = 0, kept_logical = 0;
    for (int32_t o = 0; o < outputs; o++) {
        int32_t outer_index[6] = { 0 };
        int32_t outer_offset = 0, outer_logical = 0;
        uint32_t acc = 0;
        for (int32_t r = 0; r < outers; r++) {
            const int16_t *x = input + kept_offset + outer_offset;
            for (int32_t s = 0; s < p->seg_len; s++) {
                acc += (uint32_t)(int32_t)x[s * p->seg_stride] - zero_point;
            }
            tg_reduce_step(p->outer_rank, p->outer_dim, p->outer_stride, p->outer_logical, outer_index, &outer_offset, &outer_logical);
        }
        output[o] = (int16_t)tg_requant_tflite((int32_t)acc, p->rq.multiplier[0], p->rq.shift[0], p->rq.zero_point, p->rq.act_min, p->rq.act_max);
        tg_reduce_step(p->kept_rank, p->kept_dim, p->kept_stride, p->kept_logical, kept_index, &kept_offset, &kept_logical);
    }
}
