import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { floatGemm, type FloatGemmParams } from '../common/float-gemm.ts';

/** numpy matmul in float32, k ascending (common/float-gemm.ts with alpha 1 and no C). */
export function referenceFloatMatMul(node: PreparedNode<FloatGemmParams>, [a, b]: Value[], graph: Graph): Value[] {
  const out = outputValue(graph, node);
  floatGemm(node.params, a!.data as Float32Array, b!.data as Float32Array, undefined, out.data as Float32Array);
  return [out];
}
