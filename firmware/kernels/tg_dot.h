/*
 * Dot products of int8 rows, the inner loops of the matrix-product kernels (pointwise and dense
 * convolutions, fully connected layers). Sums wrap modulo 2^32 like the reference's int32 (uint32
 * in C; SMLAD and the MVE sums wrap in hardware).
 */
#ifndef TG_DOT_H
#define TG_DOT_H

#include <stdint.h>
#include <string.h>

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define TG_DOT_MVE 1
#elif defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define TG_DOT_DSP 1
#endif

#if defined(TG_DOT_DSP)
/* Bytes 1 and 3 of a word as two halfwords: SXTB16 with its rotation, one instruction (gcc does
 * not fold a separate rotate into it). */
static inline int32_t tg_odd_bytes(uint32_t word)
{
    int32_t pairs;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(pairs) : "r"(word));
    return pairs;
}

/* Bytes 0 and 2 of a word as two halfwords (SXTB16; the ACLE intrinsic takes a signed word). */
static inline int32_t tg_even_bytes(uint32_t word)
{
    return (int32_t)__sxtb16((int8x4_t)word);
}
#endif

#if !defined(TG_DOT_MVE)
/*
 * acc[2][2] += the dot products of pixels x0, x1 with filters w0, w1 over k values. (MVE takes one
 * pixel by four filters instead, tg_matmul_row_s8.)
 */
static inline void tg_dot_2x2_s8(const int8_t *x0, const int8_t *x1, const int8_t *w0, const int8_t *w1, int32_t k, uint32_t acc[4])
{
    int32_t i = 0;
#if defined(TG_DOT_DSP)
    /* Four values per step: SXTB16 gives bytes 0 and 2 (and, rotated, 1 and 3) as halfword pairs,
     * the same pairing for both operands, and SMLAD adds two products. */
    int32_t a00 = (int32_t)acc[0], a01 = (int32_t)acc[1], a10 = (int32_t)acc[2], a11 = (int32_t)acc[3];
    for (; i + 4 <= k; i += 4) {
        uint32_t p0, p1, f0, f1;
        memcpy(&p0, x0 + i, 4);
        memcpy(&p1, x1 + i, 4);
        memcpy(&f0, w0 + i, 4);
        memcpy(&f1, w1 + i, 4);
        const int32_t p0e = tg_even_bytes(p0), p0o = tg_odd_bytes(p0);
        const int32_t p1e = tg_even_bytes(p1), p1o = tg_odd_bytes(p1);
        const int32_t f0e = tg_even_bytes(f0), f0o = tg_odd_bytes(f0);
        const int32_t f1e = tg_even_bytes(f1), f1o = tg_odd_bytes(f1);
        a00 = __smlad(p0e, f0e, a00);
        a00 = __smlad(p0o, f0o, a00);
        a01 = __smlad(p0e, f1e, a01);
        a01 = __smlad(p0o, f1o, a01);
        a10 = __smlad(p1e, f0e, a10);
        a10 = __smlad(p1o, f0o, a10);
        a11 = __smlad(p1e, f1e, a11);
        a11 = __smlad(p1o, f1o, a11);
    }
    acc[0] = (uint32_t)a00, acc[1] = (uint32_t)a01, acc[2] = (uint32_t)a10, acc[3] = (uint32_t)a11;
#endif
    for (; i < k; i++) {
        const int32_t p0 = x0[i], p1 = x1[i], f0 = w0[i], f1 = w1[i];
        acc[0] += (uint32_t)(p0 * f0);
        acc[1] += (uint32_t)(p0 * f1);
        acc[2] += (uint32_t)(p1 * f0);
        acc[3] += (uint32_t)(p1 * f1);
    }
}
#endif

/*
 * acc[0..3] += the dot products of x with the rows w0 .. w3 (k values each), for a pixel that has
 * no partner (a fully connected layer's single row): each load of x serves four filters. MVE: one
 * VMLADAVA per row per 16 values, whole steps unpredicated (a VCTP in the loop costs predicate
 * moves each step), then the tail; DSP: SMLAD on SXTB16 pairs.
 */
static inline void tg_dot_1x4_s8(const int8_t *x, const int8_t *w0, const int8_t *w1, const int8_t *w2, const int8_t *w3, int32_t k, int32_t acc[4])
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    int32_t i = 0;
#if defined(TG_DOT_MVE)
    /*
     * The whole steps in assembly: a low-overhead loop (WLS/LE) of ten instructions, every load
     * post-incrementing its own pointer. Written in C (vld1q_s8 and vmladavaq_s8), gcc derives the
     * four filter rows from one base and spends an add on each address, or, where the row length
     * is a compile-time constant, replaces the loop with compares: 12 to 17 instructions a step.
     * VMLADAVA accumulates in even registers.
     */
    const int32_t steps = k / 16;
    {
        /*
         * Every operand in a register of its own choosing, fixed here: left to gcc's allocator, an
         * inlined copy under -O3 (or -fpeel-loops) can fail with "impossible constraints". Even
         * registers for the accumulators; r7 (the Thumb frame pointer) and r9 (the platform
         * register, reserved by some RTOSes) are left alone.
         */
        register int32_t r_a0 __asm__("r0") = a0, r_a1 __asm__("r2") = a1, r_a2 __asm__("r4") = a2, r_a3 __asm__("r6") = a3;
        register const int8_t *xp __asm__("r1") = x, *p0 __asm__("r3") = w0, *p1 __asm__("r5") = w1, *p2 __asm__("r8") = w2, *p3 __asm__("r10") = w3;
        register int32_t n __asm__("r12") = steps;
        __asm__("wls lr, %[n], 2f\n"
                "1:\n\t"
                "vldrb.8 q0, [%[x]], #16\n\t"
                "vldrb.8 q1, [%[p0]], #16\n\t"
                "vmladava.s8 %[a0], q0, q1\n\t"
                "vldrb.8 q1, [%[p1]], #16\n\t"
                "vmladava.s8 %[a1], q0, q1\n\t"
                "vldrb.8 q1, [%[p2]], #16\n\t"
                "vmladava.s8 %[a2], q0, q1\n\t"
                "vldrb.8 q1, [%[p3]], #16\n\t"
                "vmladava.s8 %[a3], q0, q1\n\t"
                "le lr, 1b\n"
                "2:"
                : [a0] "+r"(r_a0), [a1] "+r"(r_a1), [a2] "+r"(r_a2), [a3] "+r"(r_a3), [x] "+r"(xp), [p0] "+r"(p0), [p1] "+r"(p1), [p2] "+r"(p2), [p3] "+r"(p3)
                : [n] "r"(n)
                : "q0", "q1", "lr", "memory");
        a0 = r_a0, a1 = r_a1, a2 = r_a2, a3 = r_a3;
    }
    i = steps * 16;
    if (i < k) {
        const mve_pred16_t lanes = vctp8q((uint32_t)(k - i));
        const int8x16_t v = vld1q_z_s8(x + i, lanes);
        a0 = vmladavaq_s8(a0, v, vld1q_z_s8(w0 + i, lanes));
        a1 = vmladavaq_s8(a1, v, vld1q_z_s8(w1 + i, lanes));
        a2 = vmladavaq_s8(a2, v, vld1q_z_s8(w2 + i, lanes));
        a3 = vmladavaq_s8(a3, v, vld1q_z_s8(w3 + i, lanes));
    }
    i = k;
#elif defined(TG_DOT_DSP)
    for (; i + 4 <= k; i += 4) {
        uint32_t p, f;
        memcpy(&p, x + i, 4);
        const int32_t pe = tg_even_bytes(p), po = tg_odd_bytes(p);
        memcpy(&f, w0 + i, 4);
        a0 = __smlad(pe, tg_even_bytes(f), a0);
        a0 = __smlad(po, tg_odd_bytes(f), a0);
        memcpy(&f, w1 + i, 4);
        a1 = __smlad(pe, tg_even_bytes(f), a1);
        a1 = __smlad(po, tg_odd_bytes(f), a1);
        memcpy(&f, w2 + i, 4);
        a2 = __smlad(pe, tg_even_bytes(f), a2);
        a2 = __smlad(po, tg_odd_bytes(f), a2);
        memcpy(&f, w3 + i, 4);
        a3 = __smlad(pe, tg_even_bytes(f), a3);
        a3 = __smlad(po, tg_odd_bytes(f), a3);
    }
#endif
    uint32_t u0 = (uint32_t)a0, u1 = (uint32_t)a1, u2 = (uint32_t)a2, u3 = (uint32_t)a3;
    for (; i < k; i++) {
        const int32_t v = x[i];
        u0 += (uint32_t)(v * w0[i]);
        u1 += (uint32_t)(v * w1[i]);
        u2 += (uint32_t)(v * w2[i]);
        u3 += (uint32_t)(v * w3[i]);
    }
    acc[0] = (int32_t)u0, acc[1] = (int32_t)u1, acc[2] = (int32_t)u2, acc[3] = (int32_t)u3;
}

/*
 * One input vector against every filter, requantized into y: the vector is `rows` runs of
 * `row_k` values, run r at x + r * x_stride (a window's rows read in place from the input, or one
 * run: a patch or a pixel), and each filter is rows * row_k values. Four filters per load of x;
 * past the last filter the rows repeat it and those results are not stored. The bias already holds
 * the input zero point's share. On MVE the four sums are requantized as one vector.
 */
static inline __attribute__((always_inline)) void tg_matmul_runs_s8(const int8_t *x, int32_t x_stride, int32_t rows, int32_t row_k, const int8_t *weights,
                                                                    int32_t channels, const int32_t *bias, const tg_channel_requant_t *rq, int8_t *y, int32_t mode)
{
    const int32_t k = rows * row_k;
    int32_t oc = 0;
    const int8_t *w0 = weights;
    for (; oc + 4 <= channels; oc += 4, w0 += 4 * k) {
        int32_t sums[4] = {0, 0, 0, 0};
        for (int32_t r = 0; r < rows; r++) {
            const int32_t at = r * row_k;
            tg_dot_1x4_s8(x + r * x_stride, w0 + at, w0 + k + at, w0 + 2 * k + at, w0 + 3 * k + at, row_k, sums);
        }
#if defined(TG_DOT_MVE)
        /* Lane by lane from the sums' registers (through memory, they spill). */
        int32x4_t acc = vdupq_n_s32(sums[0]);
        acc = vsetq_lane_s32(sums[1], acc, 1);
        acc = vsetq_lane_s32(sums[2], acc, 2);
        acc = vsetq_lane_s32(sums[3], acc, 3);
        vstrbq_s32(y + oc, tg_requant_four_mve(rq, oc, vaddq_s32(acc, vldrwq_s32(bias + oc)), mode));
#else
        for (int32_t j = 0; j < 4; j++) {
            y[oc + j] = tg_requant_channel(rq, oc + j, (int32_t)((uint32_t)sums[j] + (uint32_t)bias[oc + j]), mode);
        }
#endif
    }
    if (oc < channels) {
        const int8_t *w1 = oc + 1 < channels ? w0 + k : w0;
        const int8_t *w2 = oc + 2 < channels ? w0 + 2 * k : w0;
        int32_t sums[4] = {0, 0, 0, 0};
        for (int32_t r = 0; r < rows; r++) {
            const int32_t at = r * row_k;
            tg_dot_1x4_s8(x + r * x_stride, w0 + at, w1 + at, w2 + at, w0 + at, row_k, sums);
        }
#if defined(TG_DOT_MVE)
        const mve_pred16_t lanes = vctp32q((uint32_t)(channels - oc));
        const int32x4_t acc = vaddq_s32(vldrwq_s32(sums), vldrwq_z_s32(bias + oc, lanes));
        vstrbq_p_s32(y + oc, tg_requant_channels_mve(rq, oc, acc, mode, lanes), lanes);
#else
        for (int32_t j = 0; oc + j < channels; j++) {
            y[oc + j] = tg_requant_channel(rq, oc + j, (int32_t)((uint32_t)sums[j] + (uint32_t)bias[oc + j]), mode);
        }
#endif
    }
}

/* One input row x (k values, contiguous) against every filter: tg_matmul_runs_s8 with one run. */
static inline __attribute__((always_inline)) void tg_matmul_row_s8(const int8_t *x, const int8_t *weights, int32_t k, int32_t channels, const int32_t *bias,
                                                                   const tg_channel_requant_t *rq, int8_t *y, int32_t mode)
{
    tg_matmul_runs_s8(x, 0, 1, k, weights, channels, bias, rq, y, mode);
}

#if !defined(TG_DOT_MVE)
/*
 * Two input rows x0, x1 against every filter, into y0, y1: two rows by two filters per pass share
 * every load; an odd last filter pairs with itself.
 */
static inline __attribute__((always_inline)) void tg_matmul_pair_s8(const int8_t *x0, const int8_t *x1, const int8_t *weights, int32_t k, int32_t channels,
                                                                    const int32_t *bias, const tg_channel_requant_t *rq, int8_t *y0, int8_t *y1, int32_t mode)
{
    int32_t oc = 0;
    for (; oc + 2 <= channels; oc += 2) {
        const int8_t *w0 = weights + oc * k;
        uint32_t acc[4] = {(uint32_t)bias[oc], (uint32_t)bias[oc + 1], (uint32_t)bias[oc], (uint32_t)bias[oc + 1]};
        tg_dot_2x2_s8(x0, x1, w0, w0 + k, k, acc);
        /* All four before any store: an int8 store may alias the int8 shift tables and force reloads. */
        const int8_t r00 = tg_requant_channel(rq, oc, (int32_t)acc[0], mode), r01 = tg_requant_channel(rq, oc + 1, (int32_t)acc[1], mode);
        const int8_t r10 = tg_requant_channel(rq, oc, (int32_t)acc[2], mode), r11 = tg_requant_channel(rq, oc + 1, (int32_t)acc[3], mode);
        y0[oc] = r00;
        y0[oc + 1] = r01;
        y1[oc] = r10;
        y1[oc + 1] = r11;
    }
    if (oc < channels) {
        const int8_t *w0 = weights + oc * k;
        uint32_t acc[4] = {(uint32_t)bias[oc], (uint32_t)bias[oc], (uint32_t)bias[oc], (uint32_t)bias[oc]};
        tg_dot_2x2_s8(x0, x1, w0, w0, k, acc);
        y0[oc] = tg_requant_channel(rq, oc, (int32_t)acc[0], mode);
        y1[oc] = tg_requant_channel(rq, oc, (int32_t)acc[2], mode);
    }
}
#endif

#endif /* TG_DOT_H */
