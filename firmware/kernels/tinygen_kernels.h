/*
 * tinygen kernel library: portable C, NHWC activations, int8 weights.
 * Each kernel is held to the bytes of tinygen's reference interpreter (src/ops/<op>/reference.ts).
 */
#ifndef TINYGEN_KERNELS_H
#define TINYGEN_KERNELS_H

#include <stdint.h>
#include "tg_requant.h"

/* Geometry of a windowed op on NHWC tensors [batch][h][w][c]. */
typedef struct {
    int32_t batch, in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t k_h, k_w;
    int32_t stride_h, stride_w;
    int32_t dil_h, dil_w;
    int32_t pad_top, pad_left;
} tg_window_t;

typedef struct {
    tg_window_t win;
    int32_t groups;
    int32_t in_zero_point;
    const int8_t *weights;              /* [out_c][k_h][k_w][in_c / groups] */
    const int32_t *weight_zero_points;  /* [out_c], or NULL when all are 0 */
    const int32_t *bias;                /* [out_c], or NULL */
    tg_requant_t rq;
} tg_conv2d_t;

/* Grouped 2-D convolution (group 1, depthwise with multiplier, anything between). */
void tg_conv2d_s8(const tg_conv2d_t *p, const int8_t *input, int8_t *output);

typedef struct {
    int32_t batch;                      /* number of [m x k] matrices in A */
    int32_t m, k, n;
    int32_t b_batch_stride;             /* elements between B matrices; 0 broadcasts one B */
    int32_t a_zero_point;
    const int8_t *b;                    /* transposed: [batch_b][n][k] */
    const int32_t *b_zero_points;       /* [n], or NULL when all are 0 */
    const int32_t *bias;                /* [n], or NULL */
    tg_requant_t rq;                    /* channel = output column */
} tg_matmul_t;

/* Y[b][m][n] = requant(sum_k (A[b][m][k] - za) * (B[b][k][n] - zb[n]) + bias[n]) */
void tg_matmul_s8(const tg_matmul_t *p, const int8_t *a, int8_t *y);

/* Max over each window; padding never wins. */
void tg_maxpool2d_s8(const tg_window_t *w, const int8_t *input, int8_t *output);

/* Per-axis quantization layout: outer x axis x inner elements, one scale per axis index. */
typedef struct {
    int32_t outer, axis, inner;
    const float *scale;                 /* [axis] */
    const int32_t *zero_point;          /* [axis] */
} tg_affine_t;

/* y = saturate(round_half_even(x / scale) + zero_point), ONNX QuantizeLinear. */
void tg_quantize_f32_s8(const tg_affine_t *q, const float *input, int8_t *output);
/* y = (x - zero_point) * scale, ONNX DequantizeLinear. */
void tg_dequantize_s8_f32(const tg_affine_t *q, const int8_t *input, float *output);

/* Saturates each value to [lo, hi] (a Relu or Clip that could not fold into its producer). */
void tg_clamp_s8(const int8_t *input, int8_t *output, int32_t count, int32_t lo, int32_t hi);

/* Flips bit 7 of each byte: uint8 v <-> int8 v - 128, exact in both directions. */
void tg_flip_sign_u8(const void *input, void *output, int32_t count);

typedef struct {
    int32_t rank;
    int32_t element_bytes;
    int32_t out_shape[6];
    int32_t in_strides[6];              /* input stride, in elements, of each output axis */
} tg_transpose_t;

void tg_transpose(const tg_transpose_t *p, const void *input, void *output);

/* Byte copy for views that cannot share storage (e.g. a graph output that is a reshape of an input). */
void tg_copy(const void *input, void *output, int32_t bytes);

#endif /* TINYGEN_KERNELS_H */
