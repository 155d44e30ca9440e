/*
 * Float activations (src/ops/float-activation): Clip (and Relu), LeakyRelu, HardSigmoid,
 * HardSwish, Sigmoid, Tanh, each float32 step rounded once in the reference's order; NaN stored as
 * 0x7fc00000. Clip on int8, uint8 (held as value - 128) and int32 clamps to integer bounds.
 */
#include <string.h>
#include "tinygen_kernels.h"
#include "tg_float_math.h"

static float hard_sigmoid(const tg_float_activation_t *p, float x)
{
    const float v = p->alpha * x + p->beta;
    return v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
}

static float activation(const tg_float_activation_t *p, float x)
{
    switch (p->fn) {
    case TG_ACT_CLIP: {
        float v = x;
        if (p->has_min && v < p->min) {
            v = p->min;
        }
        if (p->has_max && v > p->max) {
            v = p->max;
        }
        return v;
    }
    case TG_ACT_LEAKY_RELU:
        return x < 0.0f ? p->alpha * x : x;
    case TG_ACT_HARD_SIGMOID:
        return hard_sigmoid(p, x);
    case TG_ACT_HARD_SWISH:
        return x * hard_sigmoid(p, x);
    case TG_ACT_SIGMOID:
        return tg_sigmoidf(x);
    default:
        return tg_tanhf(x);
    }
}

void tg_float_activation(const tg_float_activation_t *p, const void *input, void *output)
{
    if (p->elem == TG_ELEM_F32) {
        const float *in = (const float *)input;
        float *out = (float *)output;
        for (int32_t i = 0; i < p->count; i++) {
            const float v = activation(p, in[i]);
            if (v != v) {
                const uint32_t nan_bits = 0x7fc00000u;
                memcpy(&out[i], &nan_bits, sizeof nan_bits);
            } else {
                out[i] = v;
            }
        }
    } else if (p->elem == TG_ELEM_S32) {
        const int32_t *in = (const int32_t *)input;
        int32_t *out = (int32_t *)output;
        for (int32_t i = 0; i < p->count; i++) {
            out[i] = tg_clamp_i32(in[i], p->int_min, p->int_max);
        }
    } else {
        const int8_t *in = (const int8_t *)input;
        int8_t *out = (int8_t *)output;
        for (int32_t i = 0; i < p->count; i++) {
            out[i] = (int8_t)tg_clamp_i32(in[i], p->int_min, p->int_max);
        }
    }
}
