import type { Graph, Node } from '../../ir/graph.ts';
import type { Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { floatGemm, type FloatGemmParams } from '../common/float-gemm.ts';

/** numpy matmul in float32, k ascending (common/float-gemm.ts with alpha 1 and no C). */
export function referenceFloatMatMul(node: Node, [a, b]: Value[], graph: Graph): Value[] {
  const out = outputValue(graph, node);
  floatGemm(node.params as FloatGemmParams, a!.data as Float32Array, b!.data as Float32Array, undefined, out.data as Float32Array);
  return [out];
}
