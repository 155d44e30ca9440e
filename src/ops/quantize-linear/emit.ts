import type { Graph } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { affineInitializer, type AffineParams } from '../common/affine.ts';

export function emitQuantizeLinear(node: PreparedNode<AffineParams>, graph: Graph, ctx: EmitContext): string {
  const params = ctx.constStruct('quantize', 'tg_affine_t', affineInitializer(ctx, node.params));
  const type = tensorOf(graph, node.outputs[0]!).dtype === 'int16' ? 's16' : 's8';
  const kernel = `tg_quantize_f32_${type}${node.attrs.ties_away_from_zero ? '_ties_away' : ''}`;
  return `${kernel}(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
