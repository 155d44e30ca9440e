/*
 * Host build of the validation harness: the same harness_model.h contract as the firmware
 * harness (main.c), with stdio instead of semihosting. Used by the differential tests, where it
 * is built with -fsanitize=address,undefined.
 * Usage: host_harness <inputs.bin> <outputs.bin>
 */
#include <stdio.h>

#include "harness_model.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <inputs.bin> <outputs.bin>\n", argv[0]);
        return 10;
    }
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
    return status;
}
