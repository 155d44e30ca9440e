import type { Graph } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { qlinearConv } from '../qlinear-conv/index.ts';
import { qgemm } from '../qgemm/index.ts';
import type { ConvRowsGemmParams } from './definition.ts';

/** The conv's and the layer's references composed, through the view: row by row in C computes the same bytes. */
export function referenceConvRowsGemm(node: PreparedNode<ConvRowsGemmParams>, [x]: Value[], graph: Graph): Value[] {
  const { conv, gemm } = node.params;
  const [map] = qlinearConv.reference(conv, [x!], graph);
  const flat: Value = { ...map!, shape: [...tensorOf(graph, gemm.inputs[0]!).shape] };
  return qgemm.reference(gemm, [flat], graph);
}
