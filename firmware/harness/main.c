/*
 * tinygen validation harness: runs a compiled model on every input record of a file and writes the
 * outputs to another, through semihosting (newlib's rdimon: fopen/fread/fwrite reach host files).
 *
 *   usage: <firmware> <input file> <output file>
 *          <firmware> <input file> <output file> <trace file>   (built with -DTINYGEN_TRACE)
 *
 * The input file is a sequence of records of harness_input_bytes bytes (all inputs of one
 * inference, concatenated); for each, harness_output_bytes bytes are written to the output file.
 * Each inference is timed with SysTick on the core clock and reported on stdout as
 *
 *   tinygen: inference <i> ticks <n>
 *
 * followed, at the end, by "tinygen: done inferences <count>". Two build flags add measurements
 * (tinygen bench):
 *   -DTINYGEN_PROFILE: the model calls tinygen_profile_begin as its run starts and
 *     tinygen_profile_layer after each layer, and each inference also prints
 *     "tinygen: inference <i> layer <l> ticks <n>" per layer, in order (the first from the start);
 *   -DTINYGEN_MEASURE_STACK: the free stack is painted before each inference and the deepest
 *     overwritten word found after it: "tinygen: inference <i> stack <bytes>".
 * A third, -DTINYGEN_TRACE (tinygen validate, to find the first diverging layer), makes the model
 * call tinygen_trace_layer after each step with each of its outputs; every call appends a record
 * [u32 step][u32 bytes][bytes] (little-endian) to the trace file, the third argument. Errors are reported on stderr, one
 * line starting "tinygen: error:". Exit status: 0 on success, else one of the HARNESS_EXIT_* values
 * below (faults exit with 100 + the exception number, see the startup code).
 *
 * harness_model.h is the contract with the adapter tinygen generates per model (harness_model.c):
 * the record buffers, their sizes and harness_run. This file knows nothing of the model.
 */
#include <stdint.h>
#include <stdio.h>

#include "harness_model.h"


enum {
    HARNESS_EXIT_OK = 0,
    HARNESS_EXIT_USAGE = 2,        /* not exactly two arguments (three with TINYGEN_TRACE) */
    HARNESS_EXIT_OPEN_INPUT = 3,   /* the input file cannot be opened */
    HARNESS_EXIT_OPEN_OUTPUT = 4,  /* the output file cannot be created */
    HARNESS_EXIT_SHORT_READ = 5,   /* the input ends inside a record */
    HARNESS_EXIT_RUN_FAILED = 6,   /* harness_run returned non-zero */
    HARNESS_EXIT_WRITE_FAILED = 7, /* writing or closing the output file failed */
    HARNESS_EXIT_READ_FAILED = 8,  /* reading the input file failed */
    HARNESS_EXIT_TRACE_FAILED = 9, /* the trace file cannot be created, or writing it failed */
};

/* ---- SysTick: a 24-bit down counter on the core clock, extended by counting its wraps. ---- */

#define HARNESS_REG(address) (*(volatile uint32_t *)(address))
#define SYST_CSR HARNESS_REG(0xE000E010u)
#define SYST_RVR HARNESS_REG(0xE000E014u)
#define SYST_CVR HARNESS_REG(0xE000E018u)
#define SCB_ICSR HARNESS_REG(0xE000ED04u)
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE_CORE (1u << 2)
#define SCB_ICSR_PENDSTSET (1u << 26)
#define SYST_RELOAD 0xFFFFFFu

static volatile uint32_t systick_wraps;

void SysTick_Handler(void)
{
    systick_wraps = systick_wraps + 1u;
}

static void systick_start(void)
{
    SYST_CSR = 0u;
    SYST_RVR = SYST_RELOAD;
    SYST_CVR = 0u; /* any write clears the counter; it reloads on the next tick */
    SYST_CSR = SYST_CSR_CLKSOURCE_CORE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
}

/* Ticks since systick_start, monotonic across wraps. */
static uint64_t systick_now(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    uint32_t wraps = systick_wraps;
    uint32_t value = SYST_CVR;
    if ((SCB_ICSR & SCB_ICSR_PENDSTSET) != 0u) {
        /* The counter wrapped and the interrupt is not yet taken: count it, and read the value
         * again, which is now certainly after the wrap. */
        wraps += 1u;
        value = SYST_CVR;
    }
    __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
    return ((uint64_t)wraps << 24) + (uint64_t)(SYST_RELOAD - value);
}

#ifdef TINYGEN_PROFILE
/* ---- Per-layer timing: one SysTick reading as each layer ends. ---- */

#define HARNESS_MAX_LAYER_MARKS 1024u
static uint64_t layer_mark_ticks[HARNESS_MAX_LAYER_MARKS];
static unsigned layer_mark_ids[HARNESS_MAX_LAYER_MARKS];
static unsigned layer_mark_count;
static uint64_t run_begin_ticks;

void tinygen_profile_begin(void)
{
    layer_mark_count = 0;
    run_begin_ticks = systick_now();
}

void tinygen_profile_layer(unsigned layer)
{
    if (layer_mark_count < HARNESS_MAX_LAYER_MARKS) {
        layer_mark_ids[layer_mark_count] = layer;
        layer_mark_ticks[layer_mark_count] = systick_now();
        layer_mark_count += 1u;
    }
}

static void print_layer_ticks(unsigned long inference)
{
    uint64_t previous = run_begin_ticks;
    for (unsigned i = 0; i < layer_mark_count; i++) {
        printf("tinygen: inference %lu layer %u ticks %llu\n", inference, layer_mark_ids[i],
               (unsigned long long)(layer_mark_ticks[i] - previous));
        previous = layer_mark_ticks[i];
    }
}
#endif

#ifdef TINYGEN_MEASURE_STACK
/* ---- Stack high-water mark: paint the free stack, run, find the deepest overwritten word. ---- */

extern uint32_t __stack_limit__[]; /* the lowest address of the stack (linker script) */
#define STACK_PAINT 0x5AC3A55Au
/* Words just below the stack pointer left unpainted, for safety. */
#define STACK_PAINT_MARGIN_WORDS 8

static inline uint32_t *stack_pointer(void)
{
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

/* Paints from the bottom of the stack to just below this function's own frame. */
static void stack_paint(void)
{
    uint32_t *below = stack_pointer();
    for (volatile uint32_t *word = __stack_limit__; word < below - STACK_PAINT_MARGIN_WORDS; word++) {
        *word = STACK_PAINT;
    }
}

/* Bytes between `top` and the deepest word that no longer holds the paint. */
static unsigned long stack_used(uint32_t *top)
{
    const volatile uint32_t *word = __stack_limit__;
    while (word < top && *word == STACK_PAINT) {
        word++;
    }
    return (unsigned long)((const uint32_t *)top - (const uint32_t *)word) * 4ul;
}
#endif

#ifdef TINYGEN_TRACE
/* ---- Layer trace: every traced output, as [u32 step][u32 bytes][bytes]. ---- */

static FILE *trace_file;
static int trace_failed;
static char trace_buffer[1024];

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
#endif

/* ---- Records ---- */

/* stdio buffers for the two files, so newlib does not malloc them. */
static char input_buffer[1024];
static char output_buffer[1024];

int main(int argc, char **argv)
{
#ifdef TINYGEN_TRACE
    if (argc != 4) {
        fprintf(stderr, "tinygen: usage: %s <input file> <output file> <trace file>\n", argc > 0 ? argv[0] : "firmware");
        return HARNESS_EXIT_USAGE;
    }
    trace_file = fopen(argv[3], "wb");
    if (trace_file == NULL) {
        fprintf(stderr, "tinygen: error: cannot open trace file %s\n", argv[3]);
        return HARNESS_EXIT_TRACE_FAILED;
    }
    setvbuf(trace_file, trace_buffer, _IOFBF, sizeof trace_buffer);
#else
    if (argc != 3) {
        fprintf(stderr, "tinygen: usage: %s <input file> <output file>\n", argc > 0 ? argv[0] : "firmware");
        return HARNESS_EXIT_USAGE;
    }
#endif
    FILE *in = fopen(argv[1], "rb");
    if (in == NULL) {
        fprintf(stderr, "tinygen: error: cannot open input file %s\n", argv[1]);
        return HARNESS_EXIT_OPEN_INPUT;
    }
    setvbuf(in, input_buffer, _IOFBF, sizeof input_buffer);
    FILE *out = fopen(argv[2], "wb");
    if (out == NULL) {
        fprintf(stderr, "tinygen: error: cannot open output file %s\n", argv[2]);
        return HARNESS_EXIT_OPEN_OUTPUT;
    }
    setvbuf(out, output_buffer, _IOFBF, sizeof output_buffer);

    systick_start();
    unsigned long inference = 0;
    for (;;) {
        size_t got = fread(harness_input_record, 1, harness_input_bytes, in);
        if (got != harness_input_bytes) {
            if (ferror(in)) {
                fprintf(stderr, "tinygen: error: reading %s failed\n", argv[1]);
                return HARNESS_EXIT_READ_FAILED;
            }
            if (got == 0) {
                break;
            }
            fprintf(stderr, "tinygen: error: %s ends inside record %lu (%lu of %lu bytes)\n", argv[1], inference,
                   (unsigned long)got, harness_input_bytes);
            return HARNESS_EXIT_SHORT_READ;
        }
#ifdef TINYGEN_MEASURE_STACK
        uint32_t *stack_top = stack_pointer();
        stack_paint();
#endif
        uint64_t start = systick_now();
        int status = harness_run();
        uint64_t end = systick_now();
#ifdef TINYGEN_MEASURE_STACK
        /* Before anything else (printf) runs deeper than the model did. */
        const unsigned long stack_bytes = stack_used(stack_top);
#endif
        if (status != 0) {
            fprintf(stderr, "tinygen: error: harness_run failed with %d on record %lu\n", status, inference);
            return HARNESS_EXIT_RUN_FAILED;
        }
        printf("tinygen: inference %lu ticks %llu\n", inference, (unsigned long long)(end - start));
#ifdef TINYGEN_PROFILE
        print_layer_ticks(inference);
#endif
#ifdef TINYGEN_MEASURE_STACK
        printf("tinygen: inference %lu stack %lu\n", inference, stack_bytes);
#endif
        if (fwrite(harness_output_record, 1, harness_output_bytes, out) != harness_output_bytes) {
            fprintf(stderr, "tinygen: error: writing %s failed\n", argv[2]);
            return HARNESS_EXIT_WRITE_FAILED;
        }
        inference += 1;
    }
    fclose(in);
    if (fclose(out) != 0) {
        fprintf(stderr, "tinygen: error: writing %s failed\n", argv[2]);
        return HARNESS_EXIT_WRITE_FAILED;
    }
#ifdef TINYGEN_TRACE
    if (fclose(trace_file) != 0 || trace_failed) {
        fprintf(stderr, "tinygen: error: writing %s failed\n", argv[3]);
        return HARNESS_EXIT_TRACE_FAILED;
    }
#endif
    printf("tinygen: done inferences %lu\n", inference);
    return HARNESS_EXIT_OK;
}
