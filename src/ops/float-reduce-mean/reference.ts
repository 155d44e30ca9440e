import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { FloatReduceMeanParams, WalkAxes } from './definition.ts';

/** The input offsets of a row-major walk over some axes. */
function offsets(axes: WalkAxes): number[] {
  let list = [0];
  axes.dims.forEach((dim, a) => {
    const next: number[] = [];
    for (const base of list) for (let i = 0; i < dim; i++) next.push(base + i * axes.strides[a]!);
    list = next;
  });
  return list;
}

/** Per output (kept axes row-major): the float32 sum of the reduced elements in row-major order, from -0, divided by their count. */
export function referenceFloatReduceMean(node: PreparedNode<FloatReduceMeanParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const input = x!.data as Float32Array;
  const out = outputValue(graph, node);
  const y = out.data as Float32Array;
  const inner = offsets(p.reduced);
  offsets(p.kept).forEach((base, o) => {
    let sum = -0;
    for (const r of inner) sum = Math.fround(sum + input[base + r]!);
    y[o] = Math.fround(sum / p.count);
  });
  return [out];
}
