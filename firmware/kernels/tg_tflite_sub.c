/*
 * TFLiteSub (src/ops/tflite-sub): TFLM's int8 and int16 SUB, x - y with numpy broadcasting. The
 * arithmetic is TFLM's ADD with the scaled operands subtracted (tg_tflm_add_sub); only the
 * compile-time multipliers differ (float32 ratios), and they arrive here ready.
 */
#include "tg_qlinear_binary.h"

static tg_tflm_add_sub_k tg_tflite_sub_constants(const tg_tflite_sub_t *p)
{
    const tg_tflm_add_sub_k k = {
        1, p->left_shift, p->x_offset, p->y_offset,
        p->x_multiplier, -p->x_shift, p->y_multiplier, -p->y_shift, p->out_multiplier, -p->out_shift,
        p->out_zero_point, p->act_min - p->out_zero_point, p->act_max - p->out_zero_point,
    };
    return k;
}

void tg_tflite_sub_s8(const tg_tflite_sub_t *p, const int8_t *x, const int8_t *y, int8_t *output)
{
    const tg_tflm_add_sub_k k = tg_tflite_sub_constants(p);
    tg_tflm_add_sub_s8(&k, &p->bc, x, y, output);
}

void tg_tflite_sub_s16(const tg_tflite_sub_t *p, const int16_t *x, const int16_t *y, int16_t *output)
{
    const tg_tflm_add_sub_k k = tg_tflite_sub_constants(p);
    tg_tflm_add_sub_s16(&k, &p->bc, x, y, output);
}
