/*
 * TFLiteRequantize (src/ops/tflite-requantize): TFLM's reference_ops::Requantize between int8,
 * int16 and int32: x - z_x through the Q31 multiplier with double rounding, + z_y, saturated to
 * the output type. One function per pair of types, each a loop over the one element rule. int8 to
 * int8 serves only a RELU whose left shift wraps (a QUANTIZE between int8 is a lookup table).
 */
#include "tinygen_kernels.h"
#include "tg_requant.h"

static inline int32_t tg_requantize_one(const tg_requantize_t *p, int32_t x, int32_t lo, int32_t hi)
{
    /* x - z_x wraps like TFLM's int32 subtraction, without C's signed-overflow UB. */
    const int32_t centred = (int32_t)((uint32_t)x - (uint32_t)p->input_zero_point);
    return tg_requant_tflite(centred, p->multiplier, p->shift, p->output_zero_point, lo, hi);
}

void tg_requantize_s8_s8(const tg_requantize_t *p, const int8_t *input, int8_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) output[i] = (int8_t)tg_requantize_one(p, input[i], INT8_MIN, INT8_MAX);
}

void tg_requantize_s8_s16(const tg_requantize_t *p, const int8_t *input, int16_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) output[i] = (int16_t)tg_requantize_one(p, input[i], INT16_MIN, INT16_MAX);
}

void tg_requantize_s8_s32(const tg_requantize_t *p, const int8_t *input, int32_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) output[i] = tg_requantize_one(p, input[i], INT32_MIN, INT32_MAX);
}

void tg_requantize_s16_s8(const tg_requantize_t *p, const int16_t *input, int8_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) output[i] = (int8_t)tg_requantize_one(p, input[i], INT8_MIN, INT8_MAX);
}

void tg_requantize_s16_s16(const tg_requantize_t *p, const int16_t *input, int16_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) output[i] = (int16_t)tg_requantize_one(p, input[i], INT16_MIN, INT16_MAX);
}

void tg_requantize_s16_s32(const tg_requantize_t *p, const int16_t *input, int32_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) output[i] = tg_requantize_one(p, input[i], INT32_MIN, INT32_MAX);
}

void tg_requantize_s32_s8(const tg_requantize_t *p, const int32_t *input, int8_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) output[i] = (int8_t)tg_requantize_one(p, input[i], INT8_MIN, INT8_MAX);
}

void tg_requantize_s32_s16(const tg_requantize_t *p, const int32_t *input, int16_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) output[i] = (int16_t)tg_requantize_one(p, input[i], INT16_MIN, INT16_MAX);
}

void tg_requantize_s32_s32(const tg_requantize_t *p, const int32_t *input, int32_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) output[i] = tg_requantize_one(p, input[i], INT32_MIN, INT32_MAX);
}
