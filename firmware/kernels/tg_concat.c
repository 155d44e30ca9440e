/* Concatenation, with an optional requantization table per input: src/ops/qlinear-concat/reference.ts. */
#include <string.h>
#include "tinygen_kernels.h"

void tg_concat(const tg_concat_t *p, const void *const *inputs, void *output)
{
    uint8_t *out = (uint8_t *)output;
    int32_t column = 0; /* byte offset of the current input's slice inside one output row */
    for (int32_t k = 0; k < p->count; k++) {
        const uint8_t *in = (const uint8_t *)inputs[k];
        const int32_t bytes = p->row_bytes[k];
        const int32_t t = p->table_index[k];
        uint8_t *dst = out + column;
        for (int32_t o = 0; o < p->outer; o++) {
            if (t < 0) {
                memcpy(dst, in, (size_t)bytes);
            } else {
                const int8_t *table = p->tables + t * 256;
                for (int32_t i = 0; i < bytes; i++) {
                    dst[i] = (uint8_t)table[(int32_t)(int8_t)in[i] + 128];
                }
            }
            in += bytes;
            dst += p->out_row_bytes;
        }
        column += bytes;
    }
}
