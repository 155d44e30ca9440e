/*
 * A weights blob's header checked against the code it is to be bound to (tinygen_kernels.h gives
 * the layout). Everything the code depends on is checked before anything is trusted: where the
 * blob is, how long it is, what it says it is, and a CRC-32 over the header and the payload.
 * Part of tinygen (MIT license, see LICENSE); firmware built with it may be distributed under any
 * terms, with or without this notice.
 */
#include <stddef.h>
#include <stdint.h>

#include "tinygen_kernels.h"

static uint32_t tg_read_u32(const uint8_t *bytes)
{
    return (uint32_t)bytes[0] | ((uint32_t)bytes[1] << 8) | ((uint32_t)bytes[2] << 16) | ((uint32_t)bytes[3] << 24);
}

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), four bits at a time: a 64-byte table. */
static uint32_t tg_crc32_update(uint32_t crc, const uint8_t *bytes, unsigned long length)
{
    static const uint32_t nibble[16] = {
        0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
        0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
    };
    for (unsigned long i = 0; i < length; ++i) {
        crc ^= bytes[i];
        crc = (crc >> 4) ^ nibble[crc & 15u];
        crc = (crc >> 4) ^ nibble[crc & 15u];
    }
    return crc;
}

int tg_weights_check(const void *blob, unsigned long length, const uint8_t architecture[32], uint32_t payload_bytes)
{
    const uint8_t *header = (const uint8_t *)blob;
    if (header == NULL) {
        return TG_WEIGHTS_NULL;
    }
    /* The payload's int32 and float arrays are read in place. */
    if (((uintptr_t)header & 15u) != 0u) {
        return TG_WEIGHTS_MISALIGNED;
    }
    if (length < TG_WEIGHTS_HEADER_BYTES) {
        return TG_WEIGHTS_TRUNCATED;
    }
    if (header[0] != 'T' || header[1] != 'G' || header[2] != 'W' || header[3] != 'B') {
        return TG_WEIGHTS_BAD_MAGIC;
    }
    if (tg_read_u32(header + 4) != TG_WEIGHTS_FORMAT_VERSION) {
        return TG_WEIGHTS_BAD_VERSION;
    }
    for (int i = 0; i < 32; ++i) {
        if (header[8 + i] != architecture[i]) {
            return TG_WEIGHTS_WRONG_ARCHITECTURE;
        }
    }
    if (tg_read_u32(header + 72) != payload_bytes) {
        return TG_WEIGHTS_WRONG_SIZE;
    }
    if (length - TG_WEIGHTS_HEADER_BYTES < payload_bytes) {
        return TG_WEIGHTS_TRUNCATED;
    }
    uint32_t crc = tg_crc32_update(0xFFFFFFFFu, header, 76u);
    crc = tg_crc32_update(crc, header + TG_WEIGHTS_HEADER_BYTES, payload_bytes);
    if ((crc ^ 0xFFFFFFFFu) != tg_read_u32(header + 76)) {
        return TG_WEIGHTS_CORRUPT;
    }
    return TG_WEIGHTS_OK;
}
