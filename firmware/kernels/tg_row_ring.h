/*
 * Output rows that wait in a ring before they go to their place: the in-place depthwise and dense
 * convolutions compute each output row into the ring (scratch space), and copy it over the input
 * once every byte it covers lies below the first input byte a later row still reads.
 */
#ifndef TG_ROW_RING_H
#define TG_ROW_RING_H
#include <stdint.h>
#include <string.h>

/* Copies out, in order from row *next up to row `done`, each row that ends at or below `dead`
 * bytes from `output`; rows are `row_bytes` long, row r in ring slot r % ring_rows. */
static inline void tg_ring_flush(int8_t *output, const int8_t *ring, int32_t ring_rows, int32_t row_bytes, int32_t *next, int32_t done, int32_t dead)
{
    for (; *next <= done && (*next + 1) * row_bytes <= dead; (*next)++) {
        memcpy(output + *next * row_bytes, ring + (*next % ring_rows) * row_bytes, (size_t)row_bytes);
    }
}

#endif /* TG_ROW_RING_H */
