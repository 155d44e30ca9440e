import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { poolWindows } from '../common/float-window.ts';
import type { FloatAveragePoolParams } from './definition.ts';

/** The float32 sum of the taps inside the input (depth, row, column ascending, from -0), divided by the count; +0 for a window without any. */
export function referenceFloatAveragePool(node: PreparedNode<FloatAveragePoolParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const input = x!.data as Float32Array;
  const out = outputValue(graph, node);
  poolWindows(p, out.data as Float32Array, (offsets, [td, th, tw]) => {
    let sum = -0;
    for (const offset of offsets) sum = Math.fround(sum + input[offset]!);
    const count = p.countIncludePad ? td.padded * th.padded * tw.padded : offsets.length;
    return offsets.length === 0 ? 0 : Math.fround(sum / count);
  });
  return [out];
}
