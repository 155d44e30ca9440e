import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { floatGemmInitializer, type FloatGemmParams } from '../common/float-gemm.ts';
import { floatOperand } from '../common/float-operands.ts';

export function emitFloatGemm(node: PreparedNode<FloatGemmParams>, graph: Graph, ctx: EmitContext): string {
  const [a, b, c] = [0, 1, 2].map((i) => floatOperand(ctx, graph, node.inputs[i] ?? '', ['a', 'b', 'c'][i]!));
  const params = ctx.constStruct('gemm', 'tg_float_gemm_t', floatGemmInitializer(ctx, node.params));
  return `tg_float_gemm_f32(&${params}, ${a}, ${b}, ${c}, ${ctx.pointer(node.outputs[0]!)});`;
}
