import type { Graph } from '../../ir/graph.ts';
import { clamp, multiplyByQuantizedMultiplier } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { softmaxTflite } from '../qlinear-softmax/reference.ts';
import type { TfliteSoftmax16Params, TfliteSoftmaxParams } from './definition.ts';
import { SOFTMAX_EXP_LUT, SOFTMAX_ONE_OVER_ONE_PLUS_X_LUT } from './luts.ts';

const toInt16 = (v: number) => (v << 16) >> 16;

/**
 * TFLM's int16 table lookup: the top 9 bits of the int16 pick one of 512 segments, the low 7
 * interpolate to the next entry (the slope times them rounded half up by 2^7, an arithmetic shift).
 */
export function lutLookup16(lut: readonly number[], value: number): number {
  const index = 256 + (value >> 7);
  const offset = value & 0x7f;
  const base = lut[index]!;
  const slope = toInt16(lut[index + 1]! - base);
  return toInt16(base + ((slope * offset + 64) >> 7));
}

/** exp(x - max) in Q0.15 for one element: the scaled difference from 32767 down, saturated to int16, through the table. */
export function softmaxExp16(p: TfliteSoftmax16Params, difference: number): number {
  const scaled = multiplyByQuantizedMultiplier(difference, p.input);
  return lutLookup16(SOFTMAX_EXP_LUT, clamp(scaled + 32767, -32768, 32767));
}

/** One row of TFLM's int16 softmax: x[start..start+length) → y. */
export function softmaxRow16(p: TfliteSoftmax16Params, x: Int16Array, y: Int16Array, start: number): void {
  let max = -32768;
  for (let c = 0; c < p.length; c++) max = Math.max(max, x[start + c]!);
  const exps: number[] = [];
  let sum = 0;
  for (let c = 0; c < p.length; c++) {
    exps.push(softmaxExp16(p, x[start + c]! - max));
    sum += exps[c]!;
  }
  // The sum normalised to [2^30, 2^31) by its leading zeros, then to 17 bits rounded: [2^16, 2^17]
  // is 1 + x for x in [0, 1], which the table takes from -32768 (2^16 + 2^15 below).
  const headroomPlusOne = Math.clz32(sum);
  const shiftedSum = Math.floor((sum * 2 ** (headroomPlusOne - 1) + 2 ** 13) / 2 ** 14);
  const reciprocal = lutLookup16(SOFTMAX_ONE_OVER_ONE_PLUS_X_LUT, clamp(shiftedSum - (2 ** 15 + 2 ** 16), -32768, 32767));
  const rightShift = 31 - headroomPlusOne;
  for (let c = 0; c < p.length; c++) {
    // Below 2^30: exact in a double.
    const scaled = Math.floor((exps[c]! * reciprocal + 2 ** (rightShift - 1)) / 2 ** rightShift);
    y[start + c] = clamp(scaled, 0, 32767);
  }
}

export function referenceTfliteSoftmax(node: PreparedNode<TfliteSoftmaxParams>, [x]: Value[], graph: Graph): Value[] {
  const out = outputValue(graph, node);
  const p = node.params;
  if ('dtype' in p) {
    if (p.length > 0) for (let r = 0; r < p.outer; r++) softmaxRow16(p, x!.data as Int16Array, out.data as Int16Array, r * p.length);
    return [out];
  }
  softmaxTflite(p, x!.data as Int8Array, out.data as Int8Array | Int16Array);
  return [out];
}
