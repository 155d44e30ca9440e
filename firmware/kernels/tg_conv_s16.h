/*
 * Conv16x8's dense form (one group, in_c a multiple of 4): each output pixel's window is gathered
 * once into the scratch (taps outside the input as 0), and every output channel is one dot product
 * of the window with its filter row of cols = k_h * k_w * in_c weights. The body is static inline
 * so that generated code can specialise it with the layer's constants (EmitContext.specialised).
 *
 * Exactness: a product is at most 2^22 in magnitude, so 508 of them sum exactly in int32 (SMLAD's
 * accumulator); the sums run in chunks of TG_S16_CHUNK columns, each added into an int64 total,
 * which is the reference's exact sum. MVE's VMLALDAVA sums into 64 bits directly.
 *
 * - DSP: two pixels by two channels. A pixel pair's windows are stored interleaved, four words per
 *   four columns: pixel 0's (x0, x2) and (x1, x3), then pixel 1's, the halfword pairs SXTB16 makes
 *   of a filter word (bytes 0, 2 and 1, 3), so each SMLAD multiplies matching pairs.
 * - MVE: one pixel by four channels, eight columns per step, the weights widened as they load.
 * - portable: two pixels by two channels over two plain windows.
 */
#ifndef TG_CONV_S16_H
#define TG_CONV_S16_H
#include <string.h>

#include "tinygen_kernels.h"
#include "tg_requant.h"
#include "tg_dot.h"

#define TG_S16_CHUNK 508

/* x · w over count values, exactly: int32 sums of at most TG_S16_CHUNK products, added in int64. */
static inline int64_t tg_dot_s16_s8(const int16_t *x, const int8_t *w, int32_t count)
{
    int64_t total = 0;
    for (int32_t start = 0; start < count; start += TG_S16_CHUNK) {
        const int32_t end = count - start < TG_S16_CHUNK ? count : start + TG_S16_CHUNK;
        int32_t part = 0;
        for (int32_t c = start; c < end; c++) part += (int32_t)x[c] * (int32_t)w[c];
        total += part;
    }
    return total;
}

/* The channel's requantization of an exact sum: TFLM's int64 path, or its int32 one (the sum wrapped). */
static inline __attribute__((always_inline)) int16_t tg_conv_s16_out(const tg_conv_s16_t *p, int32_t oc, int64_t sum)
{
    int32_t out;
    if (p->bias32 != NULL) {
        const int32_t acc = (int32_t)((uint32_t)(uint64_t)sum + (uint32_t)p->bias32[oc]);
        out = tg_requant_tflite(acc, p->multiplier[oc], p->shift[oc], 0, p->act_min, p->act_max);
    } else {
        int32_t scaled;
        if (p->high_multiplier != NULL) {
            /* The sum and bias fit in int32 (known at compile time): one rounding high multiply. */
            scaled = tg_mbqm_s64_high((int32_t)sum + (p->bias64 != NULL ? (int32_t)p->bias64[oc] : 0), p->high_multiplier[oc]);
        } else {
            scaled = tg_mbqm_s64(sum + (p->bias64 != NULL ? p->bias64[oc] : 0), p->multiplier[oc], p->shift[oc]);
        }
        out = scaled < p->act_min ? p->act_min : (scaled > p->act_max ? p->act_max : scaled);
    }
    return (int16_t)out;
}

#if defined(TG_DOT_DSP)
/*
 * Writes pixel `which` (0 or 1) of a pair into the interleaved windows: per four columns
 * (x0, x1, x2, x3) the words (x0, x2) and (x1, x3), at words 0-1 (pixel 0) or 2-3 (pixel 1) of
 * each group of four.
 */
static inline __attribute__((always_inline)) void tg_gather_pair_s16(const tg_window_t *g, const int16_t *image, int32_t oy, int32_t ox, uint32_t *pairs, int32_t which)
{
    uint32_t *to = pairs + 2 * which;
    const int32_t groups = g->in_c / 4;
    for (int32_t ky = 0; ky < g->k_h; ky++) {
        const int32_t iy = oy * g->stride_h - g->pad_top + ky * g->dil_h;
        for (int32_t kx = 0; kx < g->k_w; kx++) {
            const int32_t ix = ox * g->stride_w - g->pad_left + kx * g->dil_w;
            if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w) {
                for (int32_t q = 0; q < groups; q++, to += 4) to[0] = to[1] = 0u;
                continue;
            }
            const int16_t *x = image + (iy * g->in_w + ix) * g->in_c;
            for (int32_t q = 0; q < groups; q++, x += 4, to += 4) {
                uint32_t lo, hi, even, odd;
                memcpy(&lo, x, 4);
                memcpy(&hi, x + 2, 4);
                /* PKHBT and PKHTB: gcc does not find them for the equivalent C. */
                __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(even) : "r"(lo), "r"(hi));
                __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(odd) : "r"(hi), "r"(lo));
                to[0] = even;
                to[1] = odd;
            }
        }
    }
}

/* sums[pixel * 2 + channel] += the pair's windows · filters w0 and w1 (w1 = w0 + cols) over `groups` groups of four columns. */
static inline __attribute__((always_inline)) void tg_dot_pair_s16(const uint32_t *pairs, const int8_t *w0, int32_t cols, int32_t groups, int64_t sums[4])
{
    for (int32_t done = 0; done < groups; done += TG_S16_CHUNK / 4) {
        const int32_t n = groups - done < TG_S16_CHUNK / 4 ? groups - done : TG_S16_CHUNK / 4;
        int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0;
        const uint32_t *pp = pairs + 4 * done;
        const int8_t *w = w0 + 4 * done;
        for (int32_t q = 0; q < n; q++, pp += 4, w += 4) {
            uint32_t f;
            memcpy(&f, w, 4);
            int32_t t = tg_even_bytes(f);
            a00 = __smlad((int32_t)pp[0], t, a00);
            a10 = __smlad((int32_t)pp[2], t, a10);
            t = tg_odd_bytes(f);
            a00 = __smlad((int32_t)pp[1], t, a00);
            a10 = __smlad((int32_t)pp[3], t, a10);
            memcpy(&f, w + cols, 4);
            t = tg_even_bytes(f);
            a01 = __smlad((int32_t)pp[0], t, a01);
            a11 = __smlad((int32_t)pp[2], t, a11);
            t = tg_odd_bytes(f);
            a01 = __smlad((int32_t)pp[1], t, a01);
            a11 = __smlad((int32_t)pp[3], t, a11);
        }
        sums[0] += a00, sums[1] += a01, sums[2] += a10, sums[3] += a11;
    }
}
#else
/* The window of output pixel (oy, ox) as cols int16 values, taps outside the input as 0. */
static inline __attribute__((always_inline)) void tg_gather_s16(const tg_window_t *g, const int16_t *image, int32_t oy, int32_t ox, int16_t *patch)
{
    const size_t row = (size_t)g->in_c * sizeof(int16_t);
    for (int32_t ky = 0; ky < g->k_h; ky++) {
        const int32_t iy = oy * g->stride_h - g->pad_top + ky * g->dil_h;
        for (int32_t kx = 0; kx < g->k_w; kx++) {
            const int32_t ix = ox * g->stride_w - g->pad_left + kx * g->dil_w;
            const int outside = iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w;
#if defined(TG_DOT_MVE)
            /* Eight values a step, the last predicated: a call to memcpy costs more for a tap's few channels. */
            (void)row;
            const int16_t *x = image + (iy * g->in_w + ix) * g->in_c;
            for (int32_t i = 0; i < g->in_c; i += 8) {
                const mve_pred16_t lanes = vctp16q((uint32_t)(g->in_c - i));
                vstrhq_p_s16(patch + i, outside ? vdupq_n_s16(0) : vld1q_z_s16(x + i, lanes), lanes);
            }
#else
            if (outside) memset(patch, 0, row);
            else memcpy(patch, image + (iy * g->in_w + ix) * g->in_c, row);
#endif
            patch += g->in_c;
        }
    }
}
#endif

#if defined(TG_DOT_MVE)
/* MVE's chunk: a multiple of its eight lanes within TG_S16_CHUNK. */
#define TG_S16_MVE_CHUNK 504

/*
 * acc[f] += x · row f of w (rows `cols` apart) over k columns, k <= TG_S16_CHUNK. The whole steps
 * in assembly, as tg_dot_1x4_s8 does it (tg_dot.h): a low-overhead loop of ten instructions whose
 * loads each post-increment their own pointer (written in C, gcc derives the four rows from one
 * base and spends an add on each address), every operand in a fixed register (left to gcc's
 * allocator an inlined copy can fail under -O3; r7 and r9 left alone); the last partial step
 * predicated, in C.
 */
static inline void tg_dot_1x4_s16(const int16_t *x, const int8_t *w, int32_t cols, int32_t k, int32_t acc[4])
{
    const int32_t steps = k / 8;
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    {
        /* VLDRB.S16 takes a low base register; VMLADAVA an even accumulator. */
        register int32_t r_a0 __asm__("r8") = a0, r_a1 __asm__("r10") = a1, r_a2 __asm__("r12") = a2, r_a3 __asm__("r6") = a3;
        register const int16_t *xp __asm__("r2") = x;
        register const int8_t *p0 __asm__("r1") = w, *p1 __asm__("r3") = w + cols, *p2 __asm__("r5") = w + 2 * cols, *p3 __asm__("r0") = w + 3 * cols;
        register int32_t n __asm__("r4") = steps;
        __asm__("wls lr, %[n], 2f\n"
                "1:\n\t"
                "vldrh.16 q0, [%[x]], #16\n\t"
                "vldrb.s16 q1, [%[p0]], #8\n\t"
                "vmladava.s16 %[a0], q0, q1\n\t"
                "vldrb.s16 q1, [%[p1]], #8\n\t"
                "vmladava.s16 %[a1], q0, q1\n\t"
                "vldrb.s16 q1, [%[p2]], #8\n\t"
                "vmladava.s16 %[a2], q0, q1\n\t"
                "vldrb.s16 q1, [%[p3]], #8\n\t"
                "vmladava.s16 %[a3], q0, q1\n\t"
                "le lr, 1b\n"
                "2:"
                : [a0] "+r"(r_a0), [a1] "+r"(r_a1), [a2] "+r"(r_a2), [a3] "+r"(r_a3), [x] "+r"(xp), [p0] "+r"(p0), [p1] "+r"(p1), [p2] "+r"(p2), [p3] "+r"(p3)
                : [n] "r"(n)
                : "q0", "q1", "lr", "memory");
        a0 = r_a0, a1 = r_a1, a2 = r_a2, a3 = r_a3;
    }
    const int32_t i = steps * 8;
    if (i < k) {
        const mve_pred16_t lanes = vctp16q((uint32_t)(k - i));
        const int16x8_t v = vld1q_z_s16(x + i, lanes);
        a0 = vmladavaq_s16(a0, v, vldrbq_z_s16(w + i, lanes));
        a1 = vmladavaq_s16(a1, v, vldrbq_z_s16(w + cols + i, lanes));
        a2 = vmladavaq_s16(a2, v, vldrbq_z_s16(w + 2 * cols + i, lanes));
        a3 = vmladavaq_s16(a3, v, vldrbq_z_s16(w + 3 * cols + i, lanes));
    }
    acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}

/*
 * One pixel by four channels (then one by one): eight columns per step, the weights widened as
 * they load, VMLADAVA summing into int32 within a chunk (exact, see above) and the chunks into
 * int64.
 */
static inline __attribute__((always_inline)) void tg_dense_s16_px(const tg_conv_s16_t *p, const int16_t *patch, int32_t cols, int16_t *y)
{
    const int32_t out_c = p->win.out_c;
    int32_t oc = 0;
    for (; oc + 4 <= out_c; oc += 4) {
        const int8_t *w = p->weights + oc * cols;
        int64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (int32_t begin = 0; begin < cols; begin += TG_S16_MVE_CHUNK) {
            const int32_t end = cols - begin < TG_S16_MVE_CHUNK ? cols : begin + TG_S16_MVE_CHUNK;
            int32_t s[4] = { 0, 0, 0, 0 };
            tg_dot_1x4_s16(patch + begin, w + begin, cols, end - begin, s);
            const int64_t s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
            a0 += s0, a1 += s1, a2 += s2, a3 += s3;
        }
        y[oc] = tg_conv_s16_out(p, oc, a0);
        y[oc + 1] = tg_conv_s16_out(p, oc + 1, a1);
        y[oc + 2] = tg_conv_s16_out(p, oc + 2, a2);
        y[oc + 3] = tg_conv_s16_out(p, oc + 3, a3);
    }
    for (; oc < out_c; oc++) {
        const int8_t *w = p->weights + oc * cols;
        int64_t a = 0;
        for (int32_t c = 0; c < cols; c += 8) {
            const mve_pred16_t lanes = vctp16q((uint32_t)(cols - c));
            a = vmlaldavaq_p_s16(a, vld1q_z_s16(patch + c, lanes), vldrbq_z_s16(w + c, lanes), lanes);
        }
        y[oc] = tg_conv_s16_out(p, oc, a);
    }
}
#elif !defined(TG_DOT_DSP)
/* sums[pixel * 2 + channel] += windows x0, x1 · filters w0, w1 over columns [begin, end), end - begin <= TG_S16_CHUNK. */
static inline void tg_dot_2x2_s16(const int16_t *x0, const int16_t *x1, const int8_t *w0, const int8_t *w1, int32_t begin, int32_t end, int64_t sums[4])
{
    int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0;
    for (int32_t c = begin; c < end; c++) {
        const int32_t p0 = x0[c], p1 = x1[c], f0 = w0[c], f1 = w1[c];
        a00 += p0 * f0;
        a01 += p0 * f1;
        a10 += p1 * f0;
        a11 += p1 * f1;
    }
    sums[0] += a00, sums[1] += a01, sums[2] += a10, sums[3] += a11;
}
#endif

/*
 * Dense 16x8 convolution (one group, in_c a multiple of 4). `patches` is scratch for two gathered
 * windows (2 * k_h * k_w * in_c int16 values, 4-byte aligned).
 */
static inline __attribute__((always_inline)) void tg_conv_s16_dense_body(const tg_conv_s16_t *p, const int16_t *input, int16_t *output, int16_t *patches)
{
    const tg_window_t *g = &p->win;
    const int32_t cols = g->k_h * g->k_w * g->in_c;
    const int32_t out_c = g->out_c;
    int16_t *y = output;
    for (int32_t b = 0; b < g->batch; b++) {
        const int16_t *image = input + b * g->in_h * g->in_w * g->in_c;
        for (int32_t oy = 0; oy < g->out_h; oy++) {
#if defined(TG_DOT_MVE)
            for (int32_t ox = 0; ox < g->out_w; ox++) {
                tg_gather_s16(g, image, oy, ox, patches);
                tg_dense_s16_px(p, patches, cols, y);
                y += out_c;
            }
#else
            for (int32_t ox = 0; ox < g->out_w; ox += 2) {
                /* An odd last pixel runs as a pair with itself and keeps one result. */
                const int32_t pair = ox + 1 < g->out_w;
#if defined(TG_DOT_DSP)
                uint32_t *pairs = (uint32_t *)(void *)patches;
                tg_gather_pair_s16(g, image, oy, ox, pairs, 0);
                tg_gather_pair_s16(g, image, oy, pair ? ox + 1 : ox, pairs, 1);
#else
                int16_t *x1 = patches + cols;
                tg_gather_s16(g, image, oy, ox, patches);
                tg_gather_s16(g, image, oy, pair ? ox + 1 : ox, x1);
#endif
                for (int32_t oc = 0; oc < out_c; oc += 2) {
                    const int32_t oc1 = oc + 1 < out_c ? oc + 1 : oc;
                    int64_t sums[4] = { 0, 0, 0, 0 };
#if defined(TG_DOT_DSP)
                    /* An odd last channel runs as a pair with itself: w1 = w0 + cols reads the next row otherwise. */
                    if (oc1 != oc) tg_dot_pair_s16(pairs, p->weights + oc * cols, cols, cols / 4, sums);
                    else tg_dot_pair_s16(pairs, p->weights + oc * cols, 0, cols / 4, sums);
#else
                    for (int32_t c = 0; c < cols; c += TG_S16_CHUNK) {
                        const int32_t end = cols - c < TG_S16_CHUNK ? cols : c + TG_S16_CHUNK;
                        tg_dot_2x2_s16(patches, x1, p->weights + oc * cols, p->weights + oc1 * cols, c, end, sums);
                    }
#endif
                    y[oc] = tg_conv_s16_out(p, oc, sums[0]);
                    if (oc1 != oc) y[oc1] = tg_conv_s16_out(p, oc1, sums[1]);
                    if (pair) {
                        y[out_c + oc] = tg_conv_s16_out(p, oc, sums[2]);
                        if (oc1 != oc) y[out_c + oc1] = tg_conv_s16_out(p, oc1, sums[3]);
                    }
                }
                y += (pair ? 2 : 1) * out_c;
            }
#endif
        }
    }
}

#endif /* TG_CONV_S16_H */
