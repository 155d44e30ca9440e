/* A view whose input and output are quantized differently: each int8 value through a 256-entry table. */
#include "tinygen_kernels.h"

void tg_requant_copy_s8(const int8_t *input, int8_t *output, int32_t count, const int8_t *table)
{
    for (int32_t i = 0; i < count; i++) {
        output[i] = table[(int32_t)input[i] + 128];
    }
}
