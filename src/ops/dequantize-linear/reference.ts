import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import type { AffineParams } from '../common/affine.ts';
import { outputValue } from '../common/values.ts';

/** y = fround((x - zero_point) * scale). */
export function referenceDequantizeLinear(node: PreparedNode<AffineParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const out = outputValue(graph, node);
  const input = x!.data as Int8Array | Int16Array;
  let i = 0;
  for (let o = 0; o < p.outer; o++)
    for (let a = 0; a < p.axis; a++)
      for (let k = 0; k < p.inner; k++, i++) out.data[i] = Math.fround((input[i]! - p.zeroPoint[a]!) * p.scale[a]!);
  return [out];
}
