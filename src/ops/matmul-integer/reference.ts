import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { gemmAccumulators, type GemmParams } from '../common/gemm.ts';

/** The int32 accumulators are the output. */
export function referenceMatMulInteger(node: PreparedNode<GemmParams>, [a]: Value[], graph: Graph): Value[] {
  const out = outputValue(graph, node);
  (out.data as Int32Array).set(gemmAccumulators(node.params, a!.data as Int8Array));
  return [out];
}
