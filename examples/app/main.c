/*
 * A user's application with two tinygen models: a keyword spotter (demo_kws.tflite) and an image
 * classifier (demo_cnn.onnx), compiled with `--arena external` so that both run in one arena
 * that the application owns, sized for the larger. Each model gets a fixed test pattern as input,
 * and the output bytes are printed in hex, so a host can compare them with `tinygen run`.
 */
#include <stdint.h>

#include "demo_cnn.h"
#include "demo_kws.h"
#include "console.h"

#define SHARED_ARENA_BYTES (DEMO_CNN_ARENA_BYTES > DEMO_KWS_ARENA_BYTES ? DEMO_CNN_ARENA_BYTES : DEMO_KWS_ARENA_BYTES)

/* uint64_t gives the 8-byte alignment the models ask for (DEMO_CNN_ARENA_ALIGNMENT). */
static uint64_t arena[(SHARED_ARENA_BYTES + 7) / 8];

static uint8_t cnn_input[DEMO_CNN_INPUT_BYTES];
static uint8_t cnn_output[DEMO_CNN_OUTPUT_BYTES];
static int8_t kws_input[DEMO_KWS_INPUT_BYTES];
static int8_t kws_output[DEMO_KWS_OUTPUT_BYTES];

/* The test pattern: byte i of an input is (i * 37 + 11) mod 256. */
static void fill_pattern(void *buffer, unsigned bytes)
{
    uint8_t *out = buffer;
    for (unsigned i = 0; i < bytes; i++) out[i] = (uint8_t)(i * 37u + 11u);
}

static void print_hex(const char *label, const void *buffer, unsigned bytes)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *in = buffer;
    console_write(label);
    for (unsigned i = 0; i < bytes; i++) {
        const char pair[3] = { digits[in[i] >> 4], digits[in[i] & 15u], '\0' };
        console_write(pair);
    }
    console_write("\n");
}

int main(void)
{
    fill_pattern(cnn_input, sizeof cnn_input);
    fill_pattern(kws_input, sizeof kws_input);
    if (demo_kws_run(arena, kws_input, kws_output) != 0) return 1;
    if (demo_cnn_run(arena, cnn_input, cnn_output) != 0) return 1;
    print_hex("demo_kws: ", kws_output, sizeof kws_output);
    print_hex("demo_cnn: ", cnn_output, sizeof cnn_output);
    return 0;
}
