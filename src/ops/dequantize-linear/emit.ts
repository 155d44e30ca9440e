import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { affineInitializer, type AffineParams } from '../common/affine.ts';

export function emitDequantizeLinear(node: PreparedNode<AffineParams>, _graph: Graph, ctx: EmitContext): string {
  const params = ctx.constStruct('dequantize', 'tg_affine_t', affineInitializer(ctx, node.params));
  return `tg_dequantize_s8_f32(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
