/*
 * tinygen kernel library: portable C, NHWC activations, int8 weights.
 * Each kernel is held to the bytes of tinygen's reference interpreter (src/ops/<op>/reference.ts).
 * Part of tinygen (MIT license, see LICENSE); firmware built with it may be distributed under any
 * terms, with or without this notice.
 */
#ifndef TINYGEN_KERNELS_H
#define TINYGEN_KERNELS_H

/*
 * Float arithmetic rounds each operation on its own, whatever the project's flags: a fused
 * multiply-add (gcc's default -ffp-contract=fast on cores with an FPU) rounds once where the
 * reference rounds twice, and that can move a byte. Every tinygen source includes this header
 * first, so the pragma covers all of tinygen's code and none of the project's.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <stdint.h>
#include "tg_requant.h"

/*
 * Where generated models put their weights and their arena: sections named so that any linker
 * script places them as read-only data and as zero-initialised RAM (.rodata.*, .bss.*: the arena
 * costs no flash), and that tinygen's board linker scripts can still place apart (weights in the
 * board's weights region, the arena in its arena region, not zeroed at startup). Define the macros
 * (empty, or your own section) before including this header to override them. Weights are kept
 * even where a per-layer kernel instance folds every read of them (a per-tensor table), so the
 * section holds exactly the bytes the report counts.
 */
#ifndef TG_WEIGHTS_SECTION
#if defined(__GNUC__) && defined(__ARM_EABI__)
#define TG_WEIGHTS_SECTION __attribute__((section(".rodata.tinygen.weights"), used))
#else
#define TG_WEIGHTS_SECTION
#endif
#endif
/*
 * The arena's alignment, written after the declarator where C99, C11 and C++ all accept GCC's
 * attribute (C11's _Alignas and C++'s alignas go in different places of a declaration). Define it
 * before including this header for a compiler without GNU attributes.
 */
#ifndef TG_ALIGNED
#if defined(__GNUC__) || defined(__clang__)
#define TG_ALIGNED(n) __attribute__((aligned(n)))
#else
#error "tinygen: define TG_ALIGNED(n) for this compiler (the arena needs 8-byte alignment)"
#endif
#endif
#ifndef TG_ARENA_SECTION
#if defined(__GNUC__) && defined(__ARM_EABI__)
#define TG_ARENA_SECTION __attribute__((section(".bss.tinygen.arena")))
#else
#define TG_ARENA_SECTION
#endif
#endif

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
    const int8_t *weights;              /* [out_c][k_h][k_w][in_c / groups]; depthwise (one input channel per group, groups > 1): [k_h][k_w][out_c] */
    const int32_t *weight_zero_points;  /* [out_c], or NULL when all are 0 */
    const int32_t *bias;                /* [out_c], or NULL */
    tg_channel_requant_t rq;
} tg_conv2d_t;

/*
 * Conv16x8 (src/ops/conv-16x8): TFLM's 16x8 convolution, int16 activations, int8 weights, no zero
 * points. bias64 (or neither bias): int64 sum and TFLM's int64 requantization; bias32: int32
 * sum and its int32 requantization.
 */
typedef struct {
    tg_window_t win;
    int32_t groups;
    int32_t depthwise_weights;  /* weights are [k_h][k_w][out_c] (one input channel per group) */
    const int8_t *weights;      /* [out_c][k_h][k_w][in_c / groups] otherwise */
    const int64_t *bias64;      /* [out_c], or NULL */
    const int32_t *bias32;      /* [out_c], or NULL */
    const int32_t *multiplier;  /* [out_c] */
    const int32_t *shift;       /* [out_c] */
    int32_t act_min, act_max;
    /*
     * [out_c], or NULL: where every sum plus its int64 bias fits in int32 and 15 - shift is 16 to 32,
     * TFLM's 15-bit multiplier times 2^(32 - (15 - shift)), so that the int64 requantization is one
     * rounding high multiply (tg_mbqm_s64_high)
     */
    const int32_t *high_multiplier;
} tg_conv_s16_t;

void tg_conv_s16(const tg_conv_s16_t *p, const int16_t *input, int16_t *output);
/* One group: `patches` holds two gathered windows, 2 * k_h * k_w * in_c int16 values. */
void tg_conv_s16_dense(const tg_conv_s16_t *p, const int16_t *input, int16_t *output, int16_t *patches);

/*
 * Grouped 2-D convolution (group 1, depthwise with multiplier, anything between). `patch` is
 * scratch space for k_h * k_w * (in_c / groups) int16 values; unused (may be NULL) for depthwise
 * layers (several groups of one input channel each).
 */
void tg_conv2d_s8_tflite(const tg_conv2d_t *p, const int8_t *input, int8_t *output, int16_t *patch);
void tg_conv2d_s8_onnx(const tg_conv2d_t *p, const int8_t *input, int8_t *output, int16_t *patch);

/*
 * Pointwise convolution (1x1 window, no padding, one group, weight zero points 0) as a matrix
 * product of int8 operands. The input zero point is folded into the bias at compile time:
 * sum (x - zx) w = sum x w - zx sum w. Two pixels by two output channels per pass.
 */
typedef struct {
    int32_t batch, in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t stride_h, stride_w;
    const int8_t *weights;              /* [out_c][in_c] */
    const int32_t *bias;                /* [out_c]: bias - in_zero_point * sum of the channel's weights, wrapping */
    tg_channel_requant_t rq;
} tg_conv_1x1_t;

void tg_conv_1x1_s8_tflite(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output);
void tg_conv_1x1_s8_onnx(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output);

/*
 * The same, stride 1, with the output over the input's memory (in place; the planner's choice):
 * the input at `output` + pixels * max(0, out_c - in_c), `temp` scratch for 2 * out_c bytes.
 */
void tg_conv_1x1_in_place_s8_tflite(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output, int8_t *temp);
void tg_conv_1x1_in_place_s8_onnx(const tg_conv_1x1_t *p, const int8_t *input, int8_t *output, int8_t *temp);

/*
 * A fully connected layer (its tg_conv_1x1_t, in_c the vector's length) over a vector that
 * arrives in pieces: tg_matmul_accumulate_s8 adds piece x, values offset .. offset + count - 1 of
 * the vector, times each filter into sums[out_c] (zeroed first); tg_matmul_finish_s8_<mode> adds
 * the bias and requantizes the sums into y.
 */
void tg_matmul_accumulate_s8(const tg_conv_1x1_t *p, const int8_t *x, int32_t offset, int32_t count, int32_t *sums);
void tg_matmul_finish_s8_tflite(const tg_conv_1x1_t *p, const int32_t *sums, int8_t *y);
void tg_matmul_finish_s8_onnx(const tg_conv_1x1_t *p, const int32_t *sums, int8_t *y);

/*
 * Dense convolution (one group, weight zero points 0) over gathered int8 patches; the bias has the
 * input zero point folded in (taps outside the input are gathered as the zero point). `patch` is
 * scratch for 2 * k_h * k_w * in_c bytes (one patch per pixel of a pair; MVE uses the first).
 */
typedef struct {
    tg_window_t win;
    int32_t in_zero_point;
    const int8_t *weights;              /* [out_c][k_h][k_w][in_c] */
    const int32_t *bias;                /* [out_c]: bias - in_zero_point * sum of the filter's weights, wrapping */
    tg_channel_requant_t rq;
} tg_conv_dense_t;

void tg_conv_dense_s8_tflite(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch);
void tg_conv_dense_s8_onnx(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch);
/* In place over one image: the input lies within the output's memory; ring holds ring_rows output rows. */
void tg_conv_dense_in_place_s8_tflite(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch, int8_t *ring, int32_t ring_rows);
void tg_conv_dense_in_place_s8_onnx(const tg_conv_dense_t *p, const int8_t *input, int8_t *output, int8_t *patch, int8_t *ring, int32_t ring_rows);

/*
 * Depthwise convolution with channel multiplier 1 and weight zero points 0: one filter per
 * channel, weights [k_h][k_w][channels]. Windows inside the input take `bias`, which has the input
 * zero point folded in at compile time; windows on the border take `border_bias`, the model's
 * own, and subtract the zero point per tap.
 */
typedef struct {
    int32_t batch, in_h, in_w, channels;
    int32_t out_h, out_w;
    int32_t k_h, k_w;
    int32_t stride_h, stride_w;
    int32_t dil_h, dil_w;
    int32_t pad_top, pad_left;
    int32_t in_zero_point;
    const int8_t *weights;              /* [k_h][k_w][channels] */
    const int32_t *bias;                /* [channels]: bias - in_zero_point * sum of the channel's weights, wrapping */
    const int32_t *border_bias;         /* [channels]: the bias */
    tg_channel_requant_t rq;
} tg_conv_dw_t;

void tg_conv_dw_s8_tflite(const tg_conv_dw_t *p, const int8_t *input, int8_t *output);
void tg_conv_dw_s8_onnx(const tg_conv_dw_t *p, const int8_t *input, int8_t *output);
/* In place over one image: the input lies within the output's memory; ring holds ring_rows output rows. */
void tg_conv_dw_in_place_s8_tflite(const tg_conv_dw_t *p, const int8_t *input, int8_t *output, int8_t *ring, int32_t ring_rows);
void tg_conv_dw_in_place_s8_onnx(const tg_conv_dw_t *p, const int8_t *input, int8_t *output, int8_t *ring, int32_t ring_rows);

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
/* int16 (TFLite 16x8): then clamped to [act_min, act_max], the fused activation's range. */
void tg_maxpool2d_s16(const tg_window_t *w, int32_t act_min, int32_t act_max, const int16_t *input, int16_t *output);

/* Per-axis quantization layout: outer x axis x inner elements, one scale per axis index. */
typedef struct {
    int32_t outer, axis, inner;
    const float *scale;                 /* [axis] */
    const int32_t *zero_point;          /* [axis] */
} tg_affine_t;

/* y = saturate(round_half_even(x / scale) + zero_point), ONNX QuantizeLinear. */
void tg_quantize_f32_s8(const tg_affine_t *q, const float *input, int8_t *output);
/* TFLite's QUANTIZE: ties away from zero. */
void tg_quantize_f32_s8_ties_away(const tg_affine_t *q, const float *input, int8_t *output);
/* y = (x - zero_point) * scale, ONNX DequantizeLinear. */
void tg_dequantize_s8_f32(const tg_affine_t *q, const int8_t *input, float *output);
/* The same for int16 (16x8 models' QUANTIZE and DEQUANTIZE). */
void tg_quantize_f32_s16(const tg_affine_t *q, const float *input, int16_t *output);
void tg_quantize_f32_s16_ties_away(const tg_affine_t *q, const float *input, int16_t *output);
void tg_dequantize_s16_f32(const tg_affine_t *q, const int16_t *input, float *output);

/* Saturates each value to [lo, hi] (a Relu or Clip that could not fold into its producer). */
void tg_clamp_s8(const int8_t *input, int8_t *output, int32_t count, int32_t lo, int32_t hi);
void tg_clamp_s16(const int16_t *input, int16_t *output, int32_t count, int32_t lo, int32_t hi);

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

/* Data movement by per-axis index maps (Pad, nearest Resize, a requantizing Transpose). */
typedef struct {
    int32_t rank;                       /* 1..6 */
    int32_t element_bytes;
    int32_t out_shape[6];
    const int32_t *offsets;             /* per output axis, per index along it: input element offset, or -1 (outside) */
    const void *fill;                   /* one element: the value of outputs that map outside the input */
    const int8_t *table;                /* 1-byte elements: NULL, or 256 entries indexed by value + 128 */
} tg_axis_map_t;

void tg_axis_map(const tg_axis_map_t *p, const void *input, void *output);

/* Concatenation: each input's rows (row_bytes[k] per outer step) side by side in the output's rows. */
typedef struct {
    int32_t count;                      /* inputs */
    int32_t outer;                      /* product of the dimensions before the axis */
    int32_t out_row_bytes;              /* bytes of one output row: the sum of row_bytes */
    const int32_t *row_bytes;           /* [count] */
    const int32_t *table_index;         /* [count]: -1 copies; t >= 0 requantizes through tables[256 t ..] */
    const int8_t *tables;               /* 256 entries per requantized input, indexed by value + 128; or NULL */
} tg_concat_t;

void tg_concat(const tg_concat_t *p, const void *const *inputs, void *output);

/* A view whose input and output are quantized differently: output[i] = table[input[i] + 128]. */
void tg_requant_copy_s8(const int8_t *input, int8_t *output, int32_t count, const int8_t *table);

/* Broadcast walk of a binary op's output, row-major, with merged axes (src/ops/common/broadcast.ts). */
typedef struct {
    int32_t rank;                       /* 1..6 */
    int32_t shape[6];                   /* output axes */
    int32_t x_strides[6];               /* elements of the first operand per step of each axis; 0 repeats */
    int32_t y_strides[6];               /* the same for the second operand */
} tg_broadcast_t;

/*
 * ONNX Runtime's unfused QDQ Add / Mul (src/ops/common/qlinear-binary.ts, ortFloatBinaryElement):
 * each operand dequantized to float32, the float32 op, then QuantizeLinear (half to even).
 */
typedef struct {
    int32_t enabled;                    /* 1: this path instead of the QLinear kernel's arithmetic */
    float a_scale, b_scale, out_scale;
    int32_t a_zero_point, b_zero_point, out_zero_point;
} tg_ort_float_binary_t;

/* QLinearAdd (src/ops/qlinear-add): x and y are A and B, or B and A as ONNX Runtime orders them. */
typedef struct {
    tg_broadcast_t bc;
    int32_t mode;                       /* TG_ROUND_ONNX or TG_ROUND_TFLITE */
    int32_t act_min, act_max;
    float x_ratio, y_ratio, fixed;      /* onnx: fma(x, x_ratio, fma(y, y_ratio, fixed)) */
    int32_t offset;                     /* onnx: 128 when ONNX Runtime computes in uint8, else 0 */
    int32_t x_offset, y_offset;         /* tflite: minus the zero points */
    int32_t left_shift;                 /* tflite: 20 (int8) or 15 (int16) */
    int32_t x_multiplier, x_shift, y_multiplier, y_shift;
    int32_t out_multiplier, out_shift, out_zero_point;
    tg_ort_float_binary_t ort_float;    /* onnx: ONNX Runtime's unfused DQ -> float Add -> Q, x's and y's quantization as a and b */
} tg_qadd_t;

void tg_qlinear_add_s8(const tg_qadd_t *p, const int8_t *x, const int8_t *y, int8_t *output);
/* TFLite's 16x8 ADD: the tflite fields only (mode TG_ROUND_TFLITE), int16 operands and output. */
void tg_qlinear_add_s16(const tg_qadd_t *p, const int16_t *x, const int16_t *y, int16_t *output);

/* TFLiteSub (src/ops/tflite-sub): TFLM's int8 and int16 SUB, x - y with numpy broadcasting. */
typedef struct {
    tg_broadcast_t bc;
    int32_t act_min, act_max;
    int32_t x_offset, y_offset;         /* minus the zero points */
    int32_t left_shift;                 /* 20 (int8) or 15 (int16) */
    int32_t x_multiplier, x_shift, y_multiplier, y_shift; /* shifts <= 0 */
    int32_t out_multiplier, out_shift, out_zero_point;    /* out_shift <= 0 */
} tg_tflite_sub_t;

void tg_tflite_sub_s8(const tg_tflite_sub_t *p, const int8_t *x, const int8_t *y, int8_t *output);
void tg_tflite_sub_s16(const tg_tflite_sub_t *p, const int16_t *x, const int16_t *y, int16_t *output);

/* QLinearMul (src/ops/qlinear-mul): (a - za)(b - zb), requantized. */
typedef struct {
    tg_broadcast_t bc;
    int32_t mode;                       /* TG_ROUND_ONNX or TG_ROUND_TFLITE */
    int32_t a_zero_point, b_zero_point;
    int32_t act_min, act_max;
    float ratio;                        /* onnx: float32 (sa * sb) / sc */
    int32_t onnx_zero_point;            /* onnx: zc in ONNX Runtime's type (+ offset) */
    int32_t offset;                     /* onnx: 128 when ONNX Runtime computes in uint8, else 0 */
    int32_t multiplier, shift, zero_point; /* tflite */
    tg_ort_float_binary_t ort_float;    /* onnx: ONNX Runtime's unfused DQ -> float Mul -> Q */
} tg_qmul_t;

void tg_qlinear_mul_s8(const tg_qmul_t *p, const int8_t *a, const int8_t *b, int8_t *output);
/* TFLite's 16x8 MUL (tflite rounding, zero points 0). */
void tg_qlinear_mul_s16(const tg_qmul_t *p, const int16_t *a, const int16_t *b, int16_t *output);

/* QLinearAveragePool (src/ops/qlinear-average-pool): strided, so NHWC and NCHW-like inputs share it. */
typedef struct {
    tg_window_t win;                    /* dil_h and dil_w are 1 */
    int32_t in_stride[4];               /* elements between neighbours along n, h, w, c */
    int32_t out_stride[4];
    int32_t count_include_pad;          /* 1: divide by k_h * k_w; 0: by the taps inside the input */
    int32_t mode;                       /* TG_ROUND_ONNX or TG_ROUND_TFLITE */
    int32_t global;                     /* onnx: integer sum and rq (ONNX Runtime's path for a whole-input window) */
    int32_t in_zero_point;
    float in_scale, out_scale;          /* onnx float path */
    float out_zero_point_f;             /* onnx: the output zero point as the model wrote it (uint8 or int8) */
    int32_t out_offset;                 /* onnx: 128 when the model's output was uint8, else 0 */
    int32_t same_quant;                 /* tflite: input and output quantized alike (TFLM's division of raw sums) */
    tg_requant_t rq;                    /* onnx global: float multiplier; tflite: multiplier of in/out scale, zero point */
    int32_t float_sum;                  /* onnx: TG_AVGPOOL_QLINEAR, or ONNX Runtime's float AveragePool summing in this order */
    int32_t clip_count;                 /* count_include_pad counts the window clipped to padded_h x padded_w (ORT's float pool) */
    int32_t padded_h, padded_w;         /* in_h + pad bottom, in_w + pad right */
    int32_t out_zero_point;             /* onnx float path: the int8 output zero point */
} tg_avgpool_t;

enum { TG_AVGPOOL_QLINEAR = 0, TG_AVGPOOL_ROWS = 1, TG_AVGPOOL_COLUMNS = 2, TG_AVGPOOL_LANES4 = 3 };

void tg_avgpool2d_s8(const tg_avgpool_t *p, const int8_t *input, int8_t *output);

/*
 * TFLM's AVERAGE_POOL_2D on NHWC tensors with the output quantized as the input: the sum of the
 * raw bytes of the window's taps inside the input, divided by their count rounding half away from
 * zero, saturated to int8. Channels innermost, so each tap is a run of contiguous bytes.
 */
void tg_avgpool_nhwc_s8_tflite(const tg_window_t *w, const int8_t *input, int8_t *output);
/* The same on int16 (TFLite 16x8), clamped to [act_min, act_max], the fused activation's range. */
void tg_avgpool_nhwc_s16(const tg_window_t *w, int32_t act_min, int32_t act_max, const int16_t *input, int16_t *output);

/* QLinearGlobalAveragePool (src/ops/qlinear-global-average-pool): mean over the spatial axes, per channel. */
typedef struct {
    int32_t batch, channels, spatial;
    int32_t batch_stride, channel_stride, spatial_stride; /* input elements; the output is [batch][channels] */
    int32_t in_zero_point;
    tg_requant_t rq;                    /* onnx: multiplier in/(out * spatial); tflite: multiplier of in/out, then / spatial */
    int32_t float_path;                 /* onnx: ONNX Runtime's float GlobalAveragePool and QuantizeLinear (zero point: rq) */
    float in_scale, out_scale;          /* onnx float path */
} tg_global_avgpool_t;

void tg_global_avgpool_s8(const tg_global_avgpool_t *p, const int8_t *input, int8_t *output);

/* QLinearReduceMean (src/ops/qlinear-reduce-mean): axes walked as odometers, output in kept-axes order. */
enum { TG_SUM_CHAIN = 0, TG_SUM_EIGEN = 1, TG_SUM_BLOCK4 = 2 };

typedef struct {
    int32_t kept_rank;                  /* 0..6 */
    int32_t kept_dim[6], kept_stride[6], kept_logical[6];
    int32_t outer_rank;                 /* reduced axes walked outside the segment, 0..6 */
    int32_t outer_dim[6], outer_stride[6], outer_logical[6];
    int32_t seg_len, seg_stride;        /* the innermost reduced run, summed as seg_kind says */
    int32_t seg_kind;                   /* onnx: ONNX Runtime's float order; tflite: TG_SUM_CHAIN of integers */
    int32_t count;                      /* reduced elements per output */
    int32_t in_zero_point;
    float in_scale, out_scale;          /* onnx */
    tg_requant_t rq;                    /* zero point; tflite: multiplier of in/out scale / count */
} tg_reduce_mean_t;

void tg_reduce_mean_s8(const tg_reduce_mean_t *p, const int8_t *input, int8_t *output);
/* int16 (TFLite 16x8 MEAN, tflite rounding only): the int32 sum wraps as TFLM's does; clamped to rq's range. */
void tg_reduce_mean_s16(const tg_reduce_mean_t *p, const int16_t *input, int16_t *output);

/*
 * Integer matrix products (QGemm, MatMulInteger; src/ops/qgemm, src/ops/matmul-integer):
 * acc[b][r][c] = bias[r * bias_row_stride + c * bias_col_stride] + sum_i (A[b][r][i] - za) * (B[b][i][c] - zb[c]),
 * with A[b][r][i] = a[b * a_batch_stride + r * a_row_stride + i * a_col_stride] (a transposed A, or a
 * broadcast one, is a choice of strides). The output is [batch][m][n].
 */
typedef struct {
    int32_t batch;
    int32_t m, k, n;
    int32_t a_batch_stride, a_row_stride, a_col_stride;
    int32_t a_zero_point;
    const int8_t *b;                    /* transposed: [batch_b][n][k] */
    int32_t b_batch_stride;             /* elements between B matrices; 0 broadcasts one B */
    const int32_t *b_zero_points;       /* [n], or NULL when all are 0 */
    const int32_t *bias;                /* or NULL */
    int32_t bias_row_stride, bias_col_stride;
} tg_gemm_t;

/* Requantized to int8, channel = output column. */
void tg_gemm_s8(const tg_gemm_t *p, const tg_requant_t *rq, const int8_t *a, int8_t *y);
/* The int32 accumulators themselves (MatMulInteger). */
void tg_gemm_s8_s32(const tg_gemm_t *p, const int8_t *a, int32_t *y);
/* float32: y = (float)acc * scale[per_column ? c : 0] (QGemm without an output scale). */
void tg_gemm_s8_f32(const tg_gemm_t *p, const float *scale, int32_t per_column, const int8_t *a, float *y);

/* ConvInteger (src/ops/conv-integer): the int32 accumulators of a grouped convolution, NHWC. */
typedef struct {
    tg_window_t win;
    int32_t groups;
    int32_t in_zero_point;
    const int8_t *weights;              /* [out_c][k_h][k_w][in_c / groups] */
    const int32_t *weight_zero_points;  /* [out_c], or NULL when all are 0 */
} tg_conv_integer_t;

void tg_conv2d_s8_s32(const tg_conv_integer_t *p, const int8_t *input, int32_t *output);

/* QLinearLookup (src/ops/qlinear-lookup): output[i] = table[input[i] + 128]. */
void tg_lookup_s8(const int8_t *table, const int8_t *input, int8_t *output, int32_t count);

/* QLinearSoftmax (src/ops/qlinear-softmax): outer x inner rows of `length` elements `inner` apart. */
typedef struct {
    int32_t outer, length, inner;
    const float *exp_table;             /* [256]: exp of d = x - max at d + 255 */
    float y_factor;                     /* floor(1 / y_scale) */
    int32_t zero_point;
    int32_t overflow_value;             /* the output where exp * y_factor overflows (ONNX Runtime's conversion) */
} tg_softmax_onnx_t;

/* ONNX Runtime's QLinearSoftmax: float32 row sum of table exps, round_half_even(e * y_factor / sum) + zp. */
void tg_softmax_onnx_s8(const tg_softmax_onnx_t *p, const int8_t *input, int8_t *output);

typedef struct {
    int32_t outer, length, inner;
    int32_t input_multiplier, input_left_shift; /* x - max to Q5.26 */
    int32_t diff_min;                   /* differences below it give the zero point */
    int32_t output_multiplier;          /* Q31 probability to output units, or 0 for a pure shift */
    int32_t output_shift;               /* right shift after it (23 for TFLM's scale 1/256) */
    int32_t zero_point;
} tg_softmax_tflite_t;

/* TFLM's int8 SOFTMAX, integer-only (gemmlowp exp and reciprocal). */
void tg_softmax_tflite_s8(const tg_softmax_tflite_t *p, const int8_t *input, int8_t *output);
/* TFLM's int8 -> int16 SOFTMAX: the same method, output in units of 1/65536 from -32768. */
void tg_softmax_tflite_s8_s16(const tg_softmax_tflite_t *p, const int8_t *input, int16_t *output);

/* TFLiteSoftmax on int16 (src/ops/tflite-softmax): `outer` rows of `length` contiguous elements. */
typedef struct {
    int32_t outer, length;
    int32_t input_multiplier, input_shift; /* x - max to the exp table's units (TFLM's MultiplyByQuantizedMultiplier) */
} tg_softmax_tflite_s16_t;

/* TFLM's int16 SOFTMAX: interpolated exp and 1/(1+x) tables, output scale 1/32768, zero points 0.
 * Writes the exps into output first: input and output must not overlap. */
void tg_softmax_tflite_s16(const tg_softmax_tflite_s16_t *p, const int16_t *input, int16_t *output);

/* TFLiteLogistic / TFLiteTanh (src/ops/tflite-activation): TFLM's int8 LOGISTIC and TANH. */
typedef struct {
    int32_t input_zero_point;
    int32_t input_range_radius;         /* |x - zp| at or beyond it saturates the output */
    int32_t input_multiplier, input_left_shift; /* x - zp to Q4.27 */
} tg_tflite_activation_t;

/* Output scale 1/256, zero point -128. */
void tg_tflite_logistic_s8(const tg_tflite_activation_t *p, const int8_t *input, int8_t *output, int32_t count);
/* Output scale 1/128, zero point 0. */
void tg_tflite_tanh_s8(const tg_tflite_activation_t *p, const int8_t *input, int8_t *output, int32_t count);

/* TFLM's int16 LOGISTIC and TANH: interpolated sigmoid table, output scale 2^-15, zero points 0. */
typedef struct {
    int32_t input_multiplier, input_shift; /* (x * m + rounding) >> shift is x in units of 1/12288 */
} tg_tflite_activation_s16_t;

void tg_tflite_logistic_s16(const tg_tflite_activation_s16_t *p, const int16_t *input, int16_t *output, int32_t count);
void tg_tflite_tanh_s16(const tg_tflite_activation_s16_t *p, const int16_t *input, int16_t *output, int32_t count);

/* TFLiteLeakyRelu (src/ops/tflite-leaky-relu): TFLM's int8 and int16 LEAKY_RELU. */
typedef struct {
    int32_t input_zero_point, output_zero_point;
    int32_t identity_multiplier, identity_shift; /* x - zp >= 0: s_x / s_y */
    int32_t alpha_multiplier, alpha_shift;       /* x - zp < 0: s_x * alpha / s_y */
} tg_tflite_leaky_relu_t;

void tg_tflite_leaky_relu_s8(const tg_tflite_leaky_relu_t *p, const int8_t *input, int8_t *output, int32_t count);
void tg_tflite_leaky_relu_s16(const tg_tflite_leaky_relu_t *p, const int16_t *input, int16_t *output, int32_t count);

/* TFLite QUANTIZE between integer types (TFLM's Requantize): one multiplier, double rounding. */
typedef struct {
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t multiplier;
    int32_t shift;
} tg_requantize_t;

void tg_requantize_s8_s8(const tg_requantize_t *p, const int8_t *input, int8_t *output, int32_t count);
void tg_requantize_s8_s16(const tg_requantize_t *p, const int8_t *input, int16_t *output, int32_t count);
void tg_requantize_s8_s32(const tg_requantize_t *p, const int8_t *input, int32_t *output, int32_t count);
void tg_requantize_s16_s8(const tg_requantize_t *p, const int16_t *input, int8_t *output, int32_t count);
void tg_requantize_s16_s16(const tg_requantize_t *p, const int16_t *input, int16_t *output, int32_t count);
void tg_requantize_s16_s32(const tg_requantize_t *p, const int16_t *input, int32_t *output, int32_t count);
void tg_requantize_s32_s8(const tg_requantize_t *p, const int32_t *input, int8_t *output, int32_t count);
void tg_requantize_s32_s16(const tg_requantize_t *p, const int32_t *input, int16_t *output, int32_t count);
void tg_requantize_s32_s32(const tg_requantize_t *p, const int32_t *input, int32_t *output, int32_t count);

/* TFLiteHardSwish (src/ops/tflite-hard-swish): TFLM's int8 HARD_SWISH (HardSwishParams). */
typedef struct {
    int32_t input_zero_point, output_zero_point;
    int32_t reluish_multiplier, reluish_exponent; /* Q15, hires input to real 3 = 2^15 */
    int32_t output_multiplier, output_exponent;   /* Q15, hires input to output (exponent <= 0) */
} tg_tflite_hard_swish_t;

void tg_tflite_hard_swish_s8(const tg_tflite_hard_swish_t *p, const int8_t *input, int8_t *output, int32_t count);

/*
 * TFLiteTransposeConv (src/ops/tflite-transpose-conv): TFLM's TRANSPOSE_CONV. Input (iy, ix) and
 * tap (ky, kx) land on output (iy * stride_h - pad_top + ky, ix * stride_w - pad_left + kx); win's
 * dil_* are 1. s8: int8 activations with zero points, int32 bias, int32 requantization. s16: int16
 * activations without zero points, int64 bias, TFLM's int64 requantization.
 */
typedef struct {
    tg_window_t win;
    int32_t input_zero_point, output_zero_point; /* s8 only */
    const int8_t *weights;                       /* [out_c][k_h][k_w][in_c] */
    const int32_t *bias32;                       /* s8: [out_c], or NULL */
    const int64_t *bias64;                       /* s16: [out_c], or NULL */
    const int32_t *multiplier;                   /* [out_c] */
    const int32_t *shift;                        /* [out_c] */
    int32_t act_min, act_max;
} tg_transpose_conv_t;

void tg_transpose_conv_s8_c(const tg_transpose_conv_t *p, const int8_t *input, int8_t *output);
void tg_transpose_conv_s16_c(const tg_transpose_conv_t *p, const int16_t *input, int16_t *output);

/* FloatConv (src/ops/float-conv): NCHW float32 convolution over 3 spatial axes [d, h, w] (1-D and 2-D have leading 1s). */
typedef struct {
    int32_t batch, in_c, out_c, groups;
    int32_t in_size[3], out_size[3];
    int32_t kernel[3], stride[3], dilation[3];
    int32_t pad_begin[3];
} tg_float_conv_t;

/* w: [out_c][in_c / groups][k_d][k_h][k_w]; bias: [out_c] or NULL. */
void tg_float_conv_f32(const tg_float_conv_t *p, const float *x, const float *w, const float *bias, float *y);

/*
 * FloatGemm and FloatMatMul (src/ops/common/float-gemm.ts): y[b][r][c] = alpha * sum_i A[b][r][i] * B[b][i][c]
 * (+ beta * C[r][c] when c is not NULL), A[b][r][i] = a[a_offsets[b] + r * a_row_stride + i * a_col_stride],
 * B[b][i][c] = b[b_offsets[b] + i * b_row_stride + c * b_col_stride], C[r][c] = c[r * c_row_stride + c * c_col_stride].
 */
typedef struct {
    int32_t batch, m, k, n;
    const int32_t *a_offsets, *b_offsets; /* [batch], or NULL when all are 0 */
    int32_t a_row_stride, a_col_stride;
    int32_t b_row_stride, b_col_stride;
    float alpha, beta;
    int32_t c_row_stride, c_col_stride;
} tg_float_gemm_t;

void tg_float_gemm_f32(const tg_float_gemm_t *p, const float *a, const float *b, const float *c, float *y);

/*
 * FloatAveragePool and FloatMaxPool (src/ops/float-average-pool, src/ops/float-max-pool): NCHW
 * float32 pooling over 3 spatial axes [d, h, w] (1-D and 2-D have leading 1s).
 */
typedef struct {
    int32_t planes;                     /* N * C */
    int32_t in_size[3], out_size[3];
    int32_t kernel[3], stride[3], dilation[3];
    int32_t pad_begin[3], pad_end[3];
    int32_t count_include_pad;          /* average: 1 divides by the taps inside the padded extent */
} tg_float_pool_t;

void tg_float_avgpool_f32(const tg_float_pool_t *p, const float *x, float *y);
void tg_float_maxpool_f32(const tg_float_pool_t *p, const float *x, float *y);

/* FloatGlobalAveragePool and FloatGlobalMaxPool: one value per plane of plane_size elements. */
void tg_float_global_avgpool_f32(const float *x, float *y, int32_t planes, int32_t plane_size);
void tg_float_global_maxpool_f32(const float *x, float *y, int32_t planes, int32_t plane_size);

/* FloatReduceMean (src/ops/float-reduce-mean): kept and reduced axes as row-major walks (element strides). */
#define TG_FLOAT_REDUCE_MAX_RANK 8
typedef struct {
    int32_t kept_rank, kept_dim[TG_FLOAT_REDUCE_MAX_RANK], kept_stride[TG_FLOAT_REDUCE_MAX_RANK];
    int32_t reduced_rank, reduced_dim[TG_FLOAT_REDUCE_MAX_RANK], reduced_stride[TG_FLOAT_REDUCE_MAX_RANK];
    int32_t count;
} tg_float_reduce_t;

void tg_float_reduce_mean_f32(const tg_float_reduce_t *p, const float *x, float *y);

/* Element types of the float ops that ONNX also defines on integers (uint8 is held as value - 128). */
enum { TG_ELEM_F32 = 0, TG_ELEM_S8 = 1, TG_ELEM_U8 = 2, TG_ELEM_S32 = 3 };

/* FloatAdd/Sub/Mul/Div (src/ops/float-elementwise): float32 IEEE ops; integers wrap, Div truncates (x / 0 = 0). */
enum { TG_BINARY_ADD = 0, TG_BINARY_SUB = 1, TG_BINARY_MUL = 2, TG_BINARY_DIV = 3 };

typedef struct {
    tg_broadcast_t bc;                  /* x = A, y = B */
    int32_t op;                         /* TG_BINARY_* */
    int32_t elem;                       /* TG_ELEM_* */
} tg_float_binary_t;

void tg_float_binary(const tg_float_binary_t *p, const void *a, const void *b, void *output);

/* Float activations (src/ops/float-activation); Relu is a clip with min 0. */
enum { TG_ACT_CLIP = 0, TG_ACT_LEAKY_RELU = 1, TG_ACT_HARD_SIGMOID = 2, TG_ACT_HARD_SWISH = 3, TG_ACT_SIGMOID = 4, TG_ACT_TANH = 5 };

typedef struct {
    int32_t fn;                         /* TG_ACT_* */
    int32_t elem;                       /* TG_ELEM_F32; clip also TG_ELEM_S8, TG_ELEM_U8, TG_ELEM_S32 */
    int32_t count;
    float alpha, beta;                  /* leaky relu: alpha; hard sigmoid, hard swish: alpha * x + beta */
    int32_t has_min, has_max;           /* float clip */
    float min, max;
    int32_t int_min, int_max;           /* integer clip, in stored values */
} tg_float_activation_t;

void tg_float_activation(const tg_float_activation_t *p, const void *input, void *output);

/* FloatSoftmax (src/ops/float-softmax): outer x inner rows of `length` elements `inner` apart. */
typedef struct {
    int32_t outer, length, inner;
} tg_float_softmax_t;

void tg_float_softmax(const tg_float_softmax_t *p, const float *input, float *output);

/*
 * Weights in a separate blob (--weights blob; src/codegen/weights-blob.ts writes it): an 80-byte
 * header, then the payload the model's constants point into.
 *   0 magic "TGWB"   4 format version (u32, 1)   8 architecture hash (SHA-256 of the model's code)
 *   40 SHA-256 of the payload   72 payload bytes (u32)   76 CRC-32 (IEEE) of bytes 0..75 and the payload
 * Little-endian. tg_weights_check returns TG_WEIGHTS_OK (0) or why the blob does not fit the code.
 */
#define TG_WEIGHTS_HEADER_BYTES 80u
#define TG_WEIGHTS_FORMAT_VERSION 1u
#define TG_WEIGHTS_OK 0
#define TG_WEIGHTS_NULL (-1)
#define TG_WEIGHTS_MISALIGNED (-2)
#define TG_WEIGHTS_TRUNCATED (-3)
#define TG_WEIGHTS_BAD_MAGIC (-4)
#define TG_WEIGHTS_BAD_VERSION (-5)
#define TG_WEIGHTS_WRONG_ARCHITECTURE (-6)
#define TG_WEIGHTS_WRONG_SIZE (-7)
#define TG_WEIGHTS_CORRUPT (-8)

int tg_weights_check(const void *blob, unsigned long length, const uint8_t architecture[32], uint32_t payload_bytes);

#endif /* TINYGEN_KERNELS_H */
