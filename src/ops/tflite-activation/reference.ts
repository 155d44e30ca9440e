import type { Graph } from '../../ir/graph.ts';
import { clamp, multiplyByQuantizedMultiplier, roundingDivideByPowerOfTwo } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { logistic, tanh } from '../common/gemmlowp-fixed-point.ts';
import { ACTIVATION_INPUT_INTEGER_BITS, type TflmActivation, type TflmActivationParams } from './definition.ts';

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

export function referenceTflmActivation(fn: TflmActivation): (node: PreparedNode<TflmActivationParams>, inputs: Value[], graph: Graph) => Value[] {
  return (node, [x], graph) => {
    const p = node.params;
    const input = x!.data as Int8Array;
    const out = outputValue(graph, node);
    for (let i = 0; i < input.length; i++) out.data[i] = tflmActivation(fn, p, input[i]!);
    return [out];
  };
}
