/*
 * Data movement by per-axis index maps (Pad, nearest Resize, a Transpose that requantizes):
 * the reference is src/ops/common/axis-map.ts.
 */
#include <string.h>
#include "tinygen_kernels.h"

void tg_axis_map(const tg_axis_map_t *p, const void *input, void *output)
{
    const uint8_t *in = (const uint8_t *)input;
    uint8_t *out = (uint8_t *)output;
    const uint8_t *fill = (const uint8_t *)p->fill;
    const int32_t eb = p->element_bytes;
    const int32_t rank = p->rank;
    const int32_t *maps[6] = { p->offsets, p->offsets, p->offsets, p->offsets, p->offsets, p->offsets };
    int32_t index[6] = { 0, 0, 0, 0, 0, 0 };
    int32_t outer = 1;
    int32_t first = 0;
    for (int32_t d = 0; d < rank; d++) {
        maps[d] = p->offsets + first;
        first += p->out_shape[d];
        if (d < rank - 1) {
            outer *= p->out_shape[d];
        }
    }
    const int32_t inner = p->out_shape[rank - 1];
    const int32_t *last = maps[rank - 1];
    for (int32_t o = 0; o < outer; o++) {
        int32_t base = 0;
        int32_t outside = 0;
        for (int32_t d = 0; d < rank - 1; d++) {
            const int32_t m = maps[d][index[d]];
            outside |= m < 0;
            base += m;
        }
        if (outside) {
            for (int32_t i = 0; i < inner; i++) {
                memcpy(out + i * eb, fill, (size_t)eb);
            }
        } else if (eb == 1) {
            const int8_t *table = p->table;
            for (int32_t i = 0; i < inner; i++) {
                const int32_t m = last[i];
                if (m < 0) {
                    out[i] = fill[0];
                } else if (table != NULL) {
                    out[i] = (uint8_t)table[(int32_t)(int8_t)in[base + m] + 128];
                } else {
                    out[i] = in[base + m];
                }
            }
        } else {
            for (int32_t i = 0; i < inner; i++) {
                const int32_t m = last[i];
                memcpy(out + i * eb, m < 0 ? fill : in + (base + m) * eb, (size_t)eb);
            }
        }
        out += inner * eb;
        for (int32_t d = rank - 2; d >= 0; d--) {
            if (++index[d] < p->out_shape[d]) {
                break;
            }
            index[d] = 0;
        }
    }
}
