import type { Graph } from '../../ir/graph.ts';
import { clamp, roundingDivideByPowerOfTwo } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { HIRES_SHIFT, type TfliteHardSwishParams } from './definition.ts';

const INT16_MIN = -32768;
const INT16_MAX = 32767;

/** gemmlowp's SaturatingRoundingDoublingHighMul on int16: (a * b + nudge) / 2^15, truncated. */
export function saturatingRoundingDoublingHighMul16(a: number, b: number): number {
  if (a === INT16_MIN && b === INT16_MIN) return INT16_MAX;
  const product = a * b;
  return Math.trunc((product + (product >= 0 ? 1 << 14 : 1 - (1 << 14))) / 32768);
}

/** reference_ops::SaturatingDoublingHighMul: the same without the nudge (truncates toward zero). */
export function saturatingDoublingHighMul16(a: number, b: number): number {
  if (a === INT16_MIN && b === INT16_MIN) return INT16_MAX;
  return Math.trunc((a * b) / 32768);
}

/** reference_ops::SaturatingLeftShift on int16. */
const saturatingLeftShift16 = (value: number, amount: number) => clamp(value * 2 ** amount, INT16_MIN, INT16_MAX);

/** One int8 input through TFLM's reference_ops::HardSwish (int8), step by step. */
export function tfliteHardSwish(p: TfliteHardSwishParams, x: number): number {
  const hires = (x - p.inputZeroPoint) * 2 ** HIRES_SHIFT;
  const preshiftOutputScale = saturatingRoundingDoublingHighMul16(hires, p.outputMultiplier);
  // The reluish value: x rescaled so that real 3 is 2^15, saturating. A left shift is split
  // around the multiply so that only its last bit can saturate (TFLM's order).
  let reluish = hires;
  if (p.reluishExponent > 0) reluish = saturatingLeftShift16(reluish, p.reluishExponent - 1);
  reluish = saturatingRoundingDoublingHighMul16(reluish, p.reluishMultiplier);
  if (p.reluishExponent > 0) reluish = saturatingLeftShift16(reluish, 1);
  if (p.reluishExponent < 0) reluish = roundingDivideByPowerOfTwo(reluish, -p.reluishExponent);
  // [-1, 1] to [0, 1]: relu6(x + 3) / 6.
  reluish = (reluish + (1 << 15)) >> 1;
  const preshiftOutput = saturatingDoublingHighMul16(reluish, preshiftOutputScale);
  // |preshiftOutput| <= 32640, so adding an int8 zero point stays within int16 (TFLM adds in int16).
  return clamp(roundingDivideByPowerOfTwo(preshiftOutput, -p.outputExponent) + p.outputZeroPoint, -128, 127);
}

export function referenceTfliteHardSwish(node: PreparedNode<TfliteHardSwishParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const input = x!.data as Int8Array;
  const out = outputValue(graph, node);
  for (let i = 0; i < input.length; i++) out.data[i] = tfliteHardSwish(p, input[i]!);
  return [out];
}
