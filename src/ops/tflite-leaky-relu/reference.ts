import type { Graph } from '../../ir/graph.ts';
import { requantizeTflite } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { TfliteLeakyReluParams } from './definition.ts';

/** One input through TFLM's reference_ops::QuantizeLeakyRelu (double rounding). */
export function tfliteLeakyRelu(p: TfliteLeakyReluParams, x: number): number {
  const input = x - p.inputZeroPoint;
  return requantizeTflite(input, input >= 0 ? p.identity : p.alpha, p.outputZeroPoint, p.min, p.max);
}

export function referenceTfliteLeakyRelu(node: PreparedNode<TfliteLeakyReluParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const input = x!.data as Int8Array | Int16Array;
  const out = outputValue(graph, node);
  for (let i = 0; i < input.length; i++) out.data[i] = tfliteLeakyRelu(p, input[i]!);
  return [out];
}
