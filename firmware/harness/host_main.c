/*
 * Host build of the validation harness: the same harness_model.h contract as the firmware
 * harness (main.c), with stdio instead of semihosting. Used by the differential tests, where it
 * is built with -fsanitize=address,undefined.
 * Usage: host_harness <inputs.bin> <outputs.bin>
 *        host_harness <inputs.bin> <outputs.bin> <trace.bin>   (built with -DTINYGEN_TRACE: each
 *        traced layer output appended as [u32 step][u32 bytes][bytes], as main.c writes it)
 */
#include <stdint.h>
#include <stdio.h>

#include "harness_model.h"

#ifdef TINYGEN_TRACE
static FILE *trace_file;
static int trace_failed;

void tinygen_trace_layer(unsigned step, const void *data, unsigned long bytes);
void tinygen_trace_layer(unsigned step, const void *data, unsigned long bytes)
{
    const uint32_t header[2] = { (uint32_t)step, (uint32_t)bytes };
    if (trace_file == NULL || trace_failed) {
        return;
    }
    if (fwrite(header, sizeof header, 1, trace_file) != 1 || fwrite(data, 1, bytes, trace_file) != bytes) {
        trace_failed = 1;
    }
}
#define HARNESS_ARGS 4
#else
#define HARNESS_ARGS 3
#endif

int main(int argc, char **argv)
{
    if (argc != HARNESS_ARGS) {
        fprintf(stderr, HARNESS_ARGS == 4 ? "usage: %s <inputs.bin> <outputs.bin> <trace.bin>\n" : "usage: %s <inputs.bin> <outputs.bin>\n", argv[0]);
        return 10;
    }
#ifdef TINYGEN_TRACE
    trace_file = fopen(argv[3], "wb");
    if (!trace_file) {
        return 15;
    }
#endif
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        return 11;
    }
    FILE *out = fopen(argv[2], "wb");
    if (!out) {
        fclose(in);
        return 12;
    }
    int status = 0;
    for (;;) {
        const size_t got = fread(harness_input_record, 1, harness_input_bytes, in);
        if (got == 0) {
            break;
        }
        if (got != harness_input_bytes) {
            status = 13;
            break;
        }
        if (harness_run() != 0) {
            status = 14;
            break;
        }
        fwrite(harness_output_record, 1, harness_output_bytes, out);
    }
    fclose(in);
    fclose(out);
#ifdef TINYGEN_TRACE
    if (fclose(trace_file) != 0 || trace_failed) {
        status = status != 0 ? status : 15;
    }
#endif
    return status;
}
