import type { Graph, Node } from '../../ir/graph.ts';
import type { EmitContext } from '../op.ts';
import { affineInitializer, type AffineParams } from '../common/affine.ts';

export function emitQuantizeLinear(node: Node, _graph: Graph, ctx: EmitContext): string {
  const params = ctx.constStruct('quantize', 'tg_affine_t', affineInitializer(ctx, node.params as AffineParams));
  const kernel = node.attrs.ties_away_from_zero ? 'tg_quantize_f32_s8_ties_away' : 'tg_quantize_f32_s8';
  return `${kernel}(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
