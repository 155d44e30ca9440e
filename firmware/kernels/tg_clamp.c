#include "tinygen_kernels.h"

void tg_clamp_s8(const int8_t *input, int8_t *output, int32_t count, int32_t lo, int32_t hi)
{
    for (int32_t i = 0; i < count; i++) {
        output[i] = (int8_t)tg_clamp_i32(input[i], lo, hi);
    }
}

void tg_clamp_s16(const int16_t *input, int16_t *output, int32_t count, int32_t lo, int32_t hi)
{
    for (int32_t i = 0; i < count; i++) {
        output[i] = (int16_t)tg_clamp_i32(input[i], lo, hi);
    }
}
