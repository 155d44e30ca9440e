import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { LookupNodeParams } from './definition.ts';

/** y = table[x + 128], elementwise. */
export function referenceQLinearLookup(node: PreparedNode<LookupNodeParams>, [x]: Value[], graph: Graph): Value[] {
  const { table } = node.params;
  const input = x!.data as Int8Array;
  const out = outputValue(graph, node);
  for (let i = 0; i < input.length; i++) out.data[i] = table[input[i]! + 128]!;
  return [out];
}
