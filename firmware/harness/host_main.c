/*
 * Host build of the validation harness: the same harness_model.h contract as the firmware
 * harness (main.c), with stdio instead of semihosting. Used by the differential tests, where it
 * is built with -fsanitize=address,undefined.
 * Usage: host_harness <inputs.bin> <outputs.bin>
 */
#include <stdio.h>

#include "harness_model.h"

static unsigned char input_record[HARNESS_INPUT_BYTES];
static unsigned char output_record[HARNESS_OUTPUT_BYTES];

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
        const size_t got = fread(input_record, 1, HARNESS_INPUT_BYTES, in);
        if (got == 0) {
            break;
        }
        if (got != HARNESS_INPUT_BYTES) {
            status = 13;
            break;
        }
        if (harness_run(input_record, output_record) != 0) {
            status = 14;
            break;
        }
        fwrite(output_record, 1, HARNESS_OUTPUT_BYTES, out);
    }
    fclose(in);
    fclose(out);
    return status;
}
