/* The kernel library's QLinearAdd and QLinearMul (the int8 bodies are in tg_qlinear_binary.h). */
#include "tg_qlinear_binary.h"

void tg_qlinear_add_s8(const tg_qadd_t *p, const int8_t *x, const int8_t *y, int8_t *output)
{
    tg_qlinear_add_body(p, x, y, output);
}

/* TFLite's 16x8 ADD: the tflite arithmetic of tg_qadd_row with int16 values, left shift 15. */
void tg_qlinear_add_s16(const tg_qadd_t *p, const int16_t *x, const int16_t *y, int16_t *output)
{
    const tg_tflm_add_sub_k k = {
        0, p->left_shift, p->x_offset, p->y_offset,
        p->x_multiplier, -p->x_shift, p->y_multiplier, -p->y_shift, p->out_multiplier, -p->out_shift,
        p->out_zero_point, p->act_min - p->out_zero_point, p->act_max - p->out_zero_point,
    };
    tg_tflm_add_sub_s16(&k, &p->bc, x, y, output);
}

void tg_qlinear_mul_s8(const tg_qmul_t *p, const int8_t *a, const int8_t *b, int8_t *output)
{
    tg_qlinear_mul_body(p, a, b, output);
}

/* TFLite's 16x8 MUL: (a - z_a)(b - z_b), at most 2^30, through the one multiplier with double rounding. */
void tg_qlinear_mul_s16(const tg_qmul_t *p, const int16_t *a, const int16_t *b, int16_t *output)
{
    const tg_broadcast_t *bc = &p->bc;
    const int32_t last = bc->rank - 1;
    const int32_t n = bc->shape[last], sa = bc->x_strides[last], sb = bc->y_strides[last];
    int32_t index[6] = { 0, 0, 0, 0, 0, 0 };
    int32_t oa = 0;
    int32_t ob = 0;
    do {
        for (int32_t i = 0; i < n; i++) {
            const int32_t product = ((int32_t)a[oa + i * sa] - p->a_zero_point) * ((int32_t)b[ob + i * sb] - p->b_zero_point);
            output[i] = (int16_t)tg_requant_tflite(product, p->multiplier, p->shift, p->zero_point, p->act_min, p->act_max);
        }
        output += n;
    } while (tg_broadcast_next(bc, index, &oa, &ob));
}
