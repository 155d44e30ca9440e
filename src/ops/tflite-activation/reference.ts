import type { Graph } from '../../ir/graph.ts';
import { clamp, multiplyByQuantizedMultiplier, roundingDivideByPowerOfTwo } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { logistic, tanh } from '../common/gemmlowp-fixed-point.ts';
import { ACTIVATION_INPUT_INTEGER_BITS, type TflmActivation, type TflmActivation16Params, type TflmActivationAnyParams, type TflmActivationParams } from './definition.ts';
import { SIGMOID_TABLE_U16 } from './sigmoid-table.ts';

/** One int8 input through TFLM's integer logistic or tanh. */
export function tflmActivation(fn: TflmActivation, p: TflmActivationParams, x: number): number {
  const input = x - p.inputZeroPoint;
  if (input <= -p.inputRangeRadius) return -128;
  if (input >= p.inputRangeRadius) return 127;
  const q4 = multiplyByQuantizedMultiplier(input, { multiplier: p.inputMultiplier, shift: p.inputLeftShift });
  if (fn === 'logistic') {
    // Q0.31 to units of 1/256, zero point -128.
    return clamp(roundingDivideByPowerOfTwo(logistic(q4, ACTIVATION_INPUT_INTEGER_BITS), 23) - 128, -128, 127);
  }
  // Q0.31 to units of 1/128, zero point 0.
  return clamp(roundingDivideByPowerOfTwo(tanh(q4, ACTIVATION_INPUT_INTEGER_BITS), 24), -128, 127);
}

/** x in units of 1/12288: TFLM's int32 product, rounded half up by the shift. */
export function tableInput(p: TflmActivation16Params, x: number): number {
  const rounding = p.inputShift > 0 ? 2 ** (p.inputShift - 1) : 0;
  // |x · m| + 2^30 < 2^31 (m <= 32767), so the int32 shift of JS is C's arithmetic shift.
  return (x * p.inputMultiplier + rounding) >> p.inputShift;
}

/** The table at |v| / 2^fractionBits, interpolated linearly in the low bits; the raw uint32 sum. */
function interpolate(magnitude: number, fractionBits: number): number | undefined {
  const index = Math.floor(magnitude / 2 ** fractionBits);
  if (index >= 255) return undefined;
  const low = SIGMOID_TABLE_U16[index]!;
  const high = SIGMOID_TABLE_U16[index + 1]!;
  return low * 2 ** fractionBits + (magnitude % 2 ** fractionBits) * (high - low);
}

/** C's conversion of an in-range result to int16 (two's complement wrap, as TFLM's store). */
const toInt16 = (v: number) => (v << 16) >> 16;

/**
 * One int16 input through TFLM's LUT logistic: sigmoid(|v| / 12288) in Q0.16 · 2^9 (step 1/24 per
 * 512 units of v), saturating at 0x7FFF · 2^10 from |v| >= 255 · 512; a negative v takes
 * 1 - sigmoid as 2^25 - r, with a rounding term one lower; then down to Q0.15.
 */
export function tflmLogistic16(p: TflmActivation16Params, x: number): number {
  const v = tableInput(p, x);
  const r = interpolate(Math.abs(v), 9) ?? 0x7fff * 2 ** 10;
  const rounded = v >= 0 ? r + 2 ** 9 : 2 ** 25 - r + 2 ** 9 - 1;
  return toInt16(Math.floor(rounded / 2 ** 10));
}

/**
 * One int16 input through TFLM's LUT tanh: 2 sigmoid(2x) - 1 with sigmoid(|v| / 6144) in Q0.16 ·
 * 2^8 (step 1/48 per 256 units of v), saturating at 0xFFFF · 2^8; 2s - 1 in Q0.15 is
 * (r - 2^23) / 2^8 with rounding 2^7, mirrored below 0 with a rounding term one lower.
 */
export function tflmTanh16(p: TflmActivation16Params, x: number): number {
  const v = tableInput(p, x);
  const r = interpolate(Math.abs(v), 8) ?? 0xffff * 2 ** 8;
  const centred = v >= 0 ? r - 2 ** 23 + 2 ** 7 : -r + 2 ** 23 + 2 ** 7 - 1;
  return toInt16(Math.floor(centred / 2 ** 8));
}

export function referenceTflmActivation(fn: TflmActivation): (node: PreparedNode<TflmActivationAnyParams>, inputs: Value[], graph: Graph) => Value[] {
  return (node, [x], graph) => {
    const p = node.params;
    const out = outputValue(graph, node);
    if ('dtype' in p) {
      const input = x!.data as Int16Array;
      const one = fn === 'logistic' ? tflmLogistic16 : tflmTanh16;
      for (let i = 0; i < input.length; i++) out.data[i] = one(p, input[i]!);
      return [out];
    }
    const input = x!.data as Int8Array;
    for (let i = 0; i < input.length; i++) out.data[i] = tflmActivation(fn, p, input[i]!);
    return [out];
  };
}
