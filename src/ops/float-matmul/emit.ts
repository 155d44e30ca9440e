import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { floatGemmInitializer, type FloatGemmParams } from '../common/float-gemm.ts';
import { floatOperand } from '../common/float-operands.ts';

export function emitFloatMatMul(node: PreparedNode<FloatGemmParams>, graph: Graph, ctx: EmitContext): string {
  const a = floatOperand(ctx, graph, node.inputs[0]!, 'a');
  const b = floatOperand(ctx, graph, node.inputs[1]!, 'b');
  const params = ctx.constStruct('matmul', 'tg_float_gemm_t', floatGemmInitializer(ctx, node.params));
  return `tg_float_gemm_f32(&${params}, ${a}, ${b}, NULL, ${ctx.pointer(node.outputs[0]!)});`;
}
