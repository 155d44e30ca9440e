import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { FloatGlobalPoolParams } from './definition.ts';

/** Per plane: the largest element, from -infinity, replaced only by a greater one. */
export function referenceFloatGlobalMaxPool(node: PreparedNode<FloatGlobalPoolParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const input = x!.data as Float32Array;
  const out = outputValue(graph, node);
  const y = out.data as Float32Array;
  for (let plane = 0; plane < p.planes; plane++) {
    let best = -Infinity;
    for (let i = 0; i < p.planeSize; i++) {
      const v = input[plane * p.planeSize + i]!;
      if (v > best) best = v;
    }
    y[plane] = best;
  }
  return [out];
}
