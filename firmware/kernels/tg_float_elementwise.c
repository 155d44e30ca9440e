/*
 * Float elementwise binary ops (src/ops/float-elementwise): Add, Sub, Mul, Div with numpy
 * broadcasting. float32: one IEEE operation per element (no contraction); NaN stored as
 * 0x7fc00000. int8, uint8 (held as value - 128), int32: exact integer arithmetic, wrapped to the
 * type; Div truncates, x / 0 is 0, INT32_MIN / -1 is INT32_MIN.
 */
#include <string.h>
#include "tinygen_kernels.h"

static void store_f32(float *out, int32_t i, float v)
{
    if (v != v) {
        const uint32_t nan_bits = 0x7fc00000u;
        memcpy(&out[i], &nan_bits, sizeof nan_bits);
    } else {
        out[i] = v;
    }
}

static float float_op(int32_t op, float a, float b)
{
    switch (op) {
    case TG_BINARY_ADD:
        return a + b;
    case TG_BINARY_SUB:
        return a - b;
    case TG_BINARY_MUL:
        return a * b;
    default:
        return a / b;
    }
}

/* Exact for int8 and uint8 values (no int32 overflow); int32 wraps through uint32. */
static int32_t int_op(int32_t op, int32_t elem, int32_t a, int32_t b)
{
    const int wide = elem == TG_ELEM_S32;
    switch (op) {
    case TG_BINARY_ADD:
        return wide ? (int32_t)((uint32_t)a + (uint32_t)b) : a + b;
    case TG_BINARY_SUB:
        return wide ? (int32_t)((uint32_t)a - (uint32_t)b) : a - b;
    case TG_BINARY_MUL:
        return wide ? (int32_t)((uint32_t)a * (uint32_t)b) : a * b;
    default:
        if (b == 0) {
            return 0;
        }
        if (a == INT32_MIN && b == -1) {
            return INT32_MIN;
        }
        return a / b;
    }
}

static int32_t load(int32_t elem, const void *data, int32_t i)
{
    switch (elem) {
    case TG_ELEM_S8:
        return ((const int8_t *)data)[i];
    case TG_ELEM_U8:
        return ((const int8_t *)data)[i] + 128;
    default:
        return ((const int32_t *)data)[i];
    }
}

static void store(int32_t elem, void *data, int32_t i, int32_t r)
{
    switch (elem) {
    case TG_ELEM_S8:
        ((int8_t *)data)[i] = (int8_t)(((r & 0xff) ^ 0x80) - 0x80);
        break;
    case TG_ELEM_U8:
        ((int8_t *)data)[i] = (int8_t)((r & 0xff) - 128);
        break;
    default:
        ((int32_t *)data)[i] = r;
        break;
    }
}

void tg_float_binary(const tg_float_binary_t *p, const void *a, const void *b, void *output)
{
    const tg_broadcast_t *bc = &p->bc;
    const int32_t rank = bc->rank;
    int32_t count = 1;
    for (int32_t d = 0; d < rank; d++) {
        count *= bc->shape[d];
    }
    int32_t index[6] = { 0, 0, 0, 0, 0, 0 };
    int32_t ia = 0;
    int32_t ib = 0;
    for (int32_t o = 0; o < count; o++) {
        if (p->elem == TG_ELEM_F32) {
            store_f32((float *)output, o, float_op(p->op, ((const float *)a)[ia], ((const float *)b)[ib]));
        } else {
            store(p->elem, output, o, int_op(p->op, p->elem, load(p->elem, a, ia), load(p->elem, b, ib)));
        }
        for (int32_t d = rank - 1; d >= 0; d--) {
            ia += bc->x_strides[d];
            ib += bc->y_strides[d];
            if (++index[d] < bc->shape[d]) {
                break;
            }
            ia -= bc->x_strides[d] * bc->shape[d];
            ib -= bc->y_strides[d] * bc->shape[d];
            index[d] = 0;
        }
    }
}
