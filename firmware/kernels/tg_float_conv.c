#include "tinygen_kernels.h"

/*
 * FloatConv (src/ops/float-conv/reference.ts): NCHW float32 grouped convolution over 3 spatial
 * axes. Per output: bias (or 0), then acc = acc + x * w over input channels, kernel depth, rows
 * and columns ascending, skipping padding taps; one float32 rounding per operation (the build
 * uses -ffp-contract=off, so no fused multiply-add).
 */
void tg_float_conv_f32(const tg_float_conv_t *p, const float *x, const float *w, const float *bias, float *y)
{
    const int32_t in_d = p->in_size[0], in_h = p->in_size[1], in_w = p->in_size[2];
    const int32_t k_d = p->kernel[0], k_h = p->kernel[1], k_w = p->kernel[2];
    const int32_t in_per_group = p->in_c / p->groups;
    const int32_t out_per_group = p->out_c / p->groups;
    const int32_t in_plane = in_d * in_h * in_w;
    const int32_t k_size = k_d * k_h * k_w;
    for (int32_t b = 0; b < p->batch; b++) {
        for (int32_t oc = 0; oc < p->out_c; oc++) {
            const int32_t first_in = (oc / out_per_group) * in_per_group;
            for (int32_t od = 0; od < p->out_size[0]; od++) {
                for (int32_t oh = 0; oh < p->out_size[1]; oh++) {
                    for (int32_t ow = 0; ow < p->out_size[2]; ow++) {
                        float acc = bias ? bias[oc] : 0.0f;
                        for (int32_t ic = 0; ic < in_per_group; ic++) {
                            const float *xc = x + (b * p->in_c + first_in + ic) * in_plane;
                            const float *wc = w + (oc * in_per_group + ic) * k_size;
                            for (int32_t kd = 0; kd < k_d; kd++) {
                                const int32_t id = od * p->stride[0] - p->pad_begin[0] + kd * p->dilation[0];
                                if (id < 0 || id >= in_d) continue;
                                for (int32_t kh = 0; kh < k_h; kh++) {
                                    const int32_t ih = oh * p->stride[1] - p->pad_begin[1] + kh * p->dilation[1];
                                    if (ih < 0 || ih >= in_h) continue;
                                    for (int32_t kw = 0; kw < k_w; kw++) {
                                        const int32_t iw = ow * p->stride[2] - p->pad_begin[2] + kw * p->dilation[2];
                                        if (iw < 0 || iw >= in_w) continue;
                                        const float product = xc[(id * in_h + ih) * in_w + iw] * wc[(kd * k_h + kh) * k_w + kw];
                                        acc = acc + product;
                                    }
                                }
                            }
                        }
                        *y++ = acc;
                    }
                }
            }
        }
    }
}
