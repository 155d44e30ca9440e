import type { Graph, Node } from '../../ir/graph.ts';
import type { Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { gemmAccumulators, type GemmParams } from '../common/gemm.ts';

/** The int32 accumulators are the output. */
export function referenceMatMulInteger(node: Node, [a]: Value[], graph: Graph): Value[] {
  const out = outputValue(graph, node);
  (out.data as Int32Array).set(gemmAccumulators(node.params as GemmParams, a!.data as Int8Array));
  return [out];
}
