import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { affineInitializer, type AffineParams } from '../common/affine.ts';

export function emitQuantizeLinear(node: PreparedNode<AffineParams>, _graph: Graph, ctx: EmitContext): string {
  const params = ctx.constStruct('quantize', 'tg_affine_t', affineInitializer(ctx, node.params));
  const kernel = node.attrs.ties_away_from_zero ? 'tg_quantize_f32_s8_ties_away' : 'tg_quantize_f32_s8';
  return `${kernel}(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
