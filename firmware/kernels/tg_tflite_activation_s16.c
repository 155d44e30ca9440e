/*
 * TFLiteLogistic and TFLiteTanh on int16 (src/ops/tflite-activation): the arithmetic of TFLM's
 * 16x8 LOGISTIC and TANH. x goes to units of 1/12288 by a multiplier and a right shift that
 * rounds half up; |that| indexes a table of sigmoid(i / 24) with linear interpolation in the low
 * bits (9 for logistic; 8 for tanh, which reads it as tanh(x) = 2 sigmoid(2x) - 1), saturating
 * past the table; the sign mirrors the result. Output scale 2^-15, zero points 0.
 */
#include "tinygen_kernels.h"

/*
 * sigmoid(i / 24) in Q0.16 (0.5 is 32768), TFLM's values (src/ops/tflite-activation/sigmoid-table.ts
 * says where they come from; test/tflite-ops/activations-16.test.ts keeps the two copies equal).
 */
static const uint16_t sigmoid_table[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
    43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
    51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
    61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
    63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
    64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
    65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
    65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
    65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
    65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
};

/* The compiler keeps the multiplier at most 32767, so |x * m| + 2^30 stays below 2^31. */
static int32_t table_input(const tg_tflite_activation_s16_t *p, int16_t x)
{
    const int32_t rounding = p->input_shift > 0 ? (int32_t)1 << (p->input_shift - 1) : 0;
    return ((int32_t)x * p->input_multiplier + rounding) >> p->input_shift;
}

/* The table at magnitude / 2^bits with the low bits interpolated; saturated past the last entry. */
static uint32_t interpolate(uint32_t magnitude, uint32_t bits, uint32_t saturated)
{
    const uint32_t index = magnitude >> bits;
    if (index >= 255u) {
        return saturated;
    }
    const uint32_t low = sigmoid_table[index];
    const uint32_t high = sigmoid_table[index + 1u];
    return (low << bits) + (magnitude & ((1u << bits) - 1u)) * (high - low);
}

void tg_tflite_logistic_s16(const tg_tflite_activation_s16_t *p, const int16_t *input, int16_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) {
        const int32_t v = table_input(p, input[i]);
        const uint32_t magnitude = v < 0 ? (uint32_t)-v : (uint32_t)v;
        uint32_t r = interpolate(magnitude, 9u, UINT32_C(0x7FFF) << 10);
        /* 1 - sigmoid below zero; r <= 65535 << 9 < 2^25, so neither side wraps. */
        r = v >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1u;
        output[i] = (int16_t)(r >> 10);
    }
}

void tg_tflite_tanh_s16(const tg_tflite_activation_s16_t *p, const int16_t *input, int16_t *output, int32_t count)
{
    for (int32_t i = 0; i < count; i++) {
        const int32_t v = table_input(p, input[i]);
        const uint32_t magnitude = v < 0 ? (uint32_t)-v : (uint32_t)v;
        const int32_t r = (int32_t)interpolate(magnitude, 8u, UINT32_C(0xFFFF) << 8);
        /* 2 sigmoid - 1 in Q0.15 with rounding 2^7, mirrored below zero; |result| < 2^23. */
        const int32_t centred = v >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
        output[i] = (int16_t)(centred >> 8);
    }
}
