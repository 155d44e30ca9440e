/*
 * gemmlowp fixed point on raw int32 values, as TFLM's int8 SOFTMAX, LOGISTIC and TANH reference
 * kernels use it (exp_on_negative_values, one_over_one_plus_x_for_x_in_0_1,
 * one_minus_x_over_one_plus_x_for_x_in_0_1, logistic, tanh). The TypeScript twin is
 * src/ops/common/gemmlowp-fixed-point.ts; the two must agree bit for bit.
 * Formats are Qm.n with m integer bits; results are Q0.31.
 */
#ifndef TG_FIXED_POINT_H
#define TG_FIXED_POINT_H

#include <stdint.h>
#include "tg_requant.h"

/* int32 addition and subtraction that wrap (gemmlowp never lets them overflow; no UB if it did). */
/* The leading zero bits of x (32 for 0), as TFLM's CountLeadingZeros; portable, no CLZ needed. */
static inline int32_t tg_leading_zeros(uint32_t x)
{
    int32_t n = 0;
    while (n < 32 && !(x & UINT32_C(0x80000000))) {
        x <<= 1;
        n++;
    }
    return n;
}

static inline int32_t tg_fp_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static inline int32_t tg_fp_sub(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* x * 2^exponent (exponent in 1..30), saturating. */
static inline int32_t tg_fp_saturating_shift_left(int32_t x, int32_t exponent)
{
    const int32_t threshold = (int32_t)((INT32_C(1) << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

#define TG_FP_MUL tg_saturating_rounding_doubling_high_mul

/* exp(a) for a Q0.31 a in [-1/4, 0): Taylor expansion around -1/8. */
static inline int32_t tg_fp_exp_on_interval(int32_t a)
{
    const int32_t exp_minus_one_eighth = 1895147668;
    const int32_t one_third = 715827883;
    const int32_t x = tg_fp_add(a, INT32_C(1) << 28);
    const int32_t x2 = TG_FP_MUL(x, x);
    const int32_t x3 = TG_FP_MUL(x2, x);
    const int32_t x4 = TG_FP_MUL(x2, x2);
    const int32_t x4_over_4 = tg_rounding_divide_by_pot(x4, 2);
    const int32_t poly = tg_rounding_divide_by_pot(tg_fp_add(TG_FP_MUL(tg_fp_add(x4_over_4, x3), one_third), x2), 1);
    return tg_fp_add(exp_minus_one_eighth, TG_FP_MUL(exp_minus_one_eighth, tg_fp_add(x, poly)));
}

/* exp(a) in Q0.31 for a <= 0 with integer_bits (1..5) integer bits. */
static inline int32_t tg_fp_exp_on_negative_values(int32_t a, int32_t integer_bits)
{
    /* exp(-2^k) in Q0.31 for k = -2 .. 4. */
    static const int32_t factors[7] = { 1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242 };
    const int32_t fractional_bits = 31 - integer_bits;
    const int32_t quarter = INT32_C(1) << (fractional_bits - 2);
    const int32_t a_mod_quarter_minus_quarter = tg_fp_sub(a & (quarter - 1), quarter);
    int32_t result = tg_fp_exp_on_interval(tg_fp_saturating_shift_left(a_mod_quarter_minus_quarter, integer_bits));
    const int32_t remainder = tg_fp_sub(a_mod_quarter_minus_quarter, a);
    /* Only the factors for bits the format has: k = -2 .. integer_bits - 1. */
    for (int32_t i = 0; i < integer_bits + 2; i++) {
        if (remainder & (INT32_C(1) << (fractional_bits - 2 + i))) {
            result = TG_FP_MUL(result, factors[i]);
        }
    }
    return a == 0 ? INT32_MAX : result;
}

/* 2 / (1 + a) in Q2.29 for a Q0.31 a in [0, 1): Newton-Raphson on the half denominator. */
static inline int32_t tg_fp_two_over_one_plus_x(int32_t a)
{
    const int64_t sum = (int64_t)a + INT32_MAX;
    const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    const int32_t one = INT32_C(1) << 29; /* Q2.29 */
    int32_t x = tg_fp_add(1515870810, TG_FP_MUL(half_denominator, -1010580540));
    for (int32_t i = 0; i < 3; i++) {
        const int32_t half_denominator_times_x = TG_FP_MUL(half_denominator, x);
        x = tg_fp_add(x, tg_fp_saturating_shift_left(TG_FP_MUL(x, tg_fp_sub(one, half_denominator_times_x)), 2));
    }
    return x;
}

/* 1 / (1 + a) in Q0.31 for a Q0.31 a in [0, 1): the Q2.29 raw read as Q1.30 (halved). */
static inline int32_t tg_fp_one_over_one_plus_x(int32_t a)
{
    return tg_fp_saturating_shift_left(tg_fp_two_over_one_plus_x(a), 1);
}

/* (1 - a) / (1 + a) in Q0.31 for a Q0.31 a in [0, 1). */
static inline int32_t tg_fp_one_minus_x_over_one_plus_x(int32_t a)
{
    return tg_fp_saturating_shift_left(tg_fp_sub(tg_fp_two_over_one_plus_x(a), INT32_C(1) << 29), 2);
}

/* -|a| without overflow: INT32_MIN stays INT32_MIN, as gemmlowp's wrapping negations give. */
static inline int32_t tg_fp_minus_abs(int32_t a)
{
    return a < 0 ? a : (int32_t)(0u - (uint32_t)a);
}

/* 1 / (1 + exp(-a)) in Q0.31 for any a with integer_bits integer bits. */
static inline int32_t tg_fp_logistic(int32_t a, int32_t integer_bits)
{
    if (a == 0) {
        return INT32_C(1) << 30;
    }
    const int32_t of_positive = tg_fp_one_over_one_plus_x(tg_fp_exp_on_negative_values(tg_fp_minus_abs(a), integer_bits));
    return a > 0 ? of_positive : tg_fp_sub(INT32_MAX, of_positive);
}

/* tanh(a) in Q0.31 for any a; exp(-2|a|) reads the raw value with one more integer bit. */
static inline int32_t tg_fp_tanh(int32_t a, int32_t integer_bits)
{
    if (a == 0) {
        return 0;
    }
    const int32_t of_magnitude = tg_fp_one_minus_x_over_one_plus_x(tg_fp_exp_on_negative_values(tg_fp_minus_abs(a), integer_bits + 1));
    return a < 0 ? -of_magnitude : of_magnitude;
}

#endif /* TG_FIXED_POINT_H */
