#include <string.h>
#include "tinygen_kernels.h"

void tg_flip_sign_u8(const void *input, void *output, int32_t count)
{
    const uint8_t *in = (const uint8_t *)input;
    uint8_t *out = (uint8_t *)output;
    for (int32_t i = 0; i < count; i++) {
        out[i] = (uint8_t)(in[i] ^ 0x80u);
    }
}

void tg_copy(const void *input, void *output, int32_t bytes)
{
    memmove(output, input, (size_t)bytes);
}

void tg_transpose(const tg_transpose_t *p, const void *input, void *output)
{
    const uint8_t *in = (const uint8_t *)input;
    uint8_t *out = (uint8_t *)output;
    const int32_t eb = p->element_bytes;
    int32_t index[6] = { 0, 0, 0, 0, 0, 0 };
    int32_t total = 1;
    for (int32_t d = 0; d < p->rank; d++) {
        total *= p->out_shape[d];
    }
    int32_t offset = 0; /* input element offset of the current output index */
    for (int32_t i = 0; i < total; i++) {
        memcpy(out + i * eb, in + offset * eb, (size_t)eb);
        for (int32_t d = p->rank - 1; d >= 0; d--) {
            index[d]++;
            offset += p->in_strides[d];
            if (index[d] < p->out_shape[d]) {
                break;
            }
            offset -= p->in_strides[d] * index[d];
            index[d] = 0;
        }
    }
}
