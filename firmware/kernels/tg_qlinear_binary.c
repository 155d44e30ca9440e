/* The kernel library's QLinearAdd and QLinearMul (the bodies are in tg_qlinear_binary.h). */
#include "tg_qlinear_binary.h"

void tg_qlinear_add_s8(const tg_qadd_t *p, const int8_t *x, const int8_t *y, int8_t *output)
{
    tg_qlinear_add_body(p, x, y, output);
}

void tg_qlinear_mul_s8(const tg_qmul_t *p, const int8_t *a, const int8_t *b, int8_t *output)
{
    tg_qlinear_mul_body(p, a, b, output);
}
