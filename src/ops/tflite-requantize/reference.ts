import type { Graph } from '../../ir/graph.ts';
import { requantizeTflite } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { TfliteRequantizeParams } from './definition.ts';

/** reference_ops::Requantize: MultiplyByQuantizedMultiplier(x - z_x) + z_y, clamped to the output type. */
export function referenceTfliteRequantize(node: PreparedNode<TfliteRequantizeParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const input = x!.data as Int8Array | Int16Array | Int32Array;
  const out = outputValue(graph, node);
  // x - z_x wraps in int32 as TFLM's does.
  for (let i = 0; i < input.length; i++) out.data[i] = requantizeTflite((input[i]! - p.inputZeroPoint) | 0, p.multiplier, p.outputZeroPoint, p.min, p.max);
  return [out];
}
