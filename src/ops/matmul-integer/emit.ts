import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { gemmInitializer, type GemmParams } from '../common/gemm.ts';

export function emitMatMulInteger(node: PreparedNode<GemmParams>, _graph: Graph, ctx: EmitContext): string {
  const gemm = ctx.constStruct('gemm', 'tg_gemm_t', gemmInitializer(ctx, node.params));
  return `tg_gemm_s8_s32(&${gemm}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
