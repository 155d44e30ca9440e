import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { floatGemm, type FloatGemmParams } from '../common/float-gemm.ts';

/** Y = alpha * A' * B' + beta * C in float32, k ascending, then alpha, then the C term (common/float-gemm.ts). */
export function referenceFloatGemm(node: PreparedNode<FloatGemmParams>, [a, b, c]: Value[], graph: Graph): Value[] {
  const out = outputValue(graph, node);
  floatGemm(node.params, a!.data as Float32Array, b!.data as Float32Array, c?.data as Float32Array | undefined, out.data as Float32Array);
  return [out];
}
