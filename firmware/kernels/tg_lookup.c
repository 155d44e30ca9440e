#include "tinygen_kernels.h"

void tg_lookup_s8(const int8_t *table, const int8_t *input, int8_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) {
        output[i] = table[(int32_t)input[i] + 128];
    }
}
