import type { Graph } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { affineInitializer, type AffineParams } from '../common/affine.ts';

export function emitDequantizeLinear(node: PreparedNode<AffineParams>, graph: Graph, ctx: EmitContext): string {
  const params = ctx.constStruct('dequantize', 'tg_affine_t', affineInitializer(ctx, node.params));
  const type = tensorOf(graph, node.inputs[0]!).dtype === 'int16' ? 's16' : 's8';
  return `tg_dequantize_${type}_f32(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
