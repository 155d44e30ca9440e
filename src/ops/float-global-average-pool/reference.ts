import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { FloatGlobalPoolParams } from './definition.ts';

/** Per plane: the float32 sum of its elements in order, divided by their count. */
export function referenceFloatGlobalAveragePool(node: PreparedNode<FloatGlobalPoolParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const input = x!.data as Float32Array;
  const out = outputValue(graph, node);
  const y = out.data as Float32Array;
  for (let plane = 0; plane < p.planes; plane++) {
    let sum = -0;
    for (let i = 0; i < p.planeSize; i++) sum = Math.fround(sum + input[plane * p.planeSize + i]!);
    y[plane] = Math.fround(sum / p.planeSize);
  }
  return [out];
}
