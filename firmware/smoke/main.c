/*
 * The smoke firmware of `tinygen boards check`: proves that a board file gives a working image.
 * It reads constants placed where the board puts weights, writes the arena region, uses the heap
 * (printf through newlib), and, where the board has them, runs one FPU, DSP and MVE instruction.
 * It prints one line, "tinygen: smoke ...", that the host checks value by value, and exits 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#endif
#if defined(__ARM_FEATURE_MVE) && __ARM_FEATURE_MVE
#include <arm_mve.h>
#endif

#define SMOKE_BYTES 256

/* Byte i is (i * 37 + 11) mod 256, as an int8; the host computes the same sums. */
#define SMOKE_W4(i) (int8_t)(((i) * 37 + 11) & 0xFF), (int8_t)(((i + 1) * 37 + 11) & 0xFF), \
    (int8_t)(((i + 2) * 37 + 11) & 0xFF), (int8_t)(((i + 3) * 37 + 11) & 0xFF)
#define SMOKE_W16(i) SMOKE_W4(i), SMOKE_W4(i + 4), SMOKE_W4(i + 8), SMOKE_W4(i + 12)
#define SMOKE_W64(i) SMOKE_W16(i), SMOKE_W16(i + 16), SMOKE_W16(i + 32), SMOKE_W16(i + 48)

__attribute__((section(".rodata.tinygen.weights.smoke"), aligned(16))) static const int8_t smoke_weights[SMOKE_BYTES] = {
    SMOKE_W64(0), SMOKE_W64(64), SMOKE_W64(128), SMOKE_W64(192),
};

__attribute__((section(".bss.tinygen.arena.smoke"), aligned(16))) static int8_t smoke_arena[SMOKE_BYTES];

int main(void)
{
    /* volatile: the compiler must not fold the sums at compile time. */
    const volatile int8_t *weights = smoke_weights;
    volatile int8_t *arena = smoke_arena;
    int32_t sum = 0;
    int32_t weighted = 0;
    for (int i = 0; i < SMOKE_BYTES; ++i) {
        arena[i] = (int8_t)(weights[i] ^ 0x5A);
    }
    for (int i = 0; i < SMOKE_BYTES; ++i) {
        sum += weights[i];
        weighted += i * arena[i];
    }

    char *heap = malloc(64);
    if (heap == NULL) {
        return 3;
    }
    free(heap);

    printf("tinygen: smoke sum %ld weighted %ld", (long)sum, (long)weighted);
#if defined(__ARM_FP)
    volatile float a = 1.5f;
    volatile float b = 2.25f;
    printf(" fpu %d", (int)(a * b * 100.0f)); /* 337 */
#endif
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
    volatile int32_t x = 0x00020003;
    volatile int32_t y = 0x00040005;
    printf(" dsp %ld", (long)__smlad(x, y, 10)); /* 2*4 + 3*5 + 10 = 33 */
#endif
#if defined(__ARM_FEATURE_MVE) && __ARM_FEATURE_MVE
    volatile int8_t three = 3;
    printf(" mve %ld", (long)vaddvq_s8(vdupq_n_s8(three))); /* 16 * 3 = 48 */
#endif
    printf("\n");
    return 0;
}
