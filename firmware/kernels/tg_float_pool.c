#include <float.h>
#include <math.h>
#include "tinygen_kernels.h"

/*
 * FloatAveragePool and FloatMaxPool (src/ops/float-average-pool, src/ops/float-max-pool): NCHW
 * float32 pooling over 3 spatial axes [d, h, w] (1-D and 2-D have leading axes of size 1).
 * Window o of an axis starts at o * stride - pad_begin, its taps dilation apart.
 */

typedef struct {
    int32_t first, last;                /* taps [first, last) lie inside the input */
    int32_t padded;                     /* taps inside [-pad_begin, in + pad_end) */
} tg_float_taps_t;

static tg_float_taps_t float_axis_taps(const tg_float_pool_t *p, int32_t axis, int32_t o)
{
    const int32_t start = o * p->stride[axis] - p->pad_begin[axis];
    tg_float_taps_t t = { 0, 0, 0 };
    int32_t seen = 0;
    for (int32_t k = 0; k < p->kernel[axis]; k++) {
        const int32_t pos = start + k * p->dilation[axis];
        if (pos >= -p->pad_begin[axis] && pos < p->in_size[axis] + p->pad_end[axis]) t.padded++;
        if (pos >= 0 && pos < p->in_size[axis]) {
            if (!seen) t.first = k;
            seen = 1;
            t.last = k + 1;
        }
    }
    return t;
}

enum { FLOAT_POOL_AVERAGE, FLOAT_POOL_MAX };

/*
 * The one window walk of both pools, in output order, taps depth, rows, columns ascending.
 * Average: sum = sum + x from -0.0f, then sum / count (taps inside the input, or inside the padded
 * extent with count_include_pad); +0.0f for a window without any tap inside the input.
 * Max: the largest tap from -infinity, a tap replacing it only when greater; -FLT_MAX for a
 * window without any tap inside the input.
 */
static void float_pool(const tg_float_pool_t *p, const float *x, float *y, int32_t kind)
{
    const int32_t in_h = p->in_size[1], in_w = p->in_size[2];
    const int32_t plane = p->in_size[0] * in_h * in_w;
    for (int32_t c = 0; c < p->planes; c++) {
        const float *xc = x + c * plane;
        for (int32_t od = 0; od < p->out_size[0]; od++) {
            const tg_float_taps_t td = float_axis_taps(p, 0, od);
            for (int32_t oh = 0; oh < p->out_size[1]; oh++) {
                const tg_float_taps_t th = float_axis_taps(p, 1, oh);
                for (int32_t ow = 0; ow < p->out_size[2]; ow++) {
                    const tg_float_taps_t tw = float_axis_taps(p, 2, ow);
                    float acc = kind == FLOAT_POOL_AVERAGE ? -0.0f : -INFINITY;
                    for (int32_t kd = td.first; kd < td.last; kd++) {
                        const int32_t id = od * p->stride[0] - p->pad_begin[0] + kd * p->dilation[0];
                        for (int32_t kh = th.first; kh < th.last; kh++) {
                            const int32_t ih = oh * p->stride[1] - p->pad_begin[1] + kh * p->dilation[1];
                            for (int32_t kw = tw.first; kw < tw.last; kw++) {
                                const int32_t iw = ow * p->stride[2] - p->pad_begin[2] + kw * p->dilation[2];
                                const float v = xc[(id * in_h + ih) * in_w + iw];
                                if (kind == FLOAT_POOL_AVERAGE) {
                                    acc = acc + v;
                                } else if (v > acc) {
                                    acc = v;
                                }
                            }
                        }
                    }
                    const int32_t inside = (td.last - td.first) * (th.last - th.first) * (tw.last - tw.first);
                    if (kind == FLOAT_POOL_MAX) {
                        *y++ = inside > 0 ? acc : -FLT_MAX;
                    } else {
                        const int32_t count = p->count_include_pad ? td.padded * th.padded * tw.padded : inside;
                        *y++ = inside == 0 ? 0.0f : acc / (float)count;
                    }
                }
            }
        }
    }
}

void tg_float_avgpool_f32(const tg_float_pool_t *p, const float *x, float *y)
{
    float_pool(p, x, y, FLOAT_POOL_AVERAGE);
}

void tg_float_maxpool_f32(const tg_float_pool_t *p, const float *x, float *y)
{
    float_pool(p, x, y, FLOAT_POOL_MAX);
}
