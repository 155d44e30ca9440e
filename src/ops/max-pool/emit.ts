import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { windowInitializer } from '../common/window.ts';
import type { MaxPoolParams } from './definition.ts';

export function emitMaxPool(node: PreparedNode<MaxPoolParams>, _graph: Graph, ctx: EmitContext): string {
  const params = ctx.constStruct('pool', 'tg_window_t', windowInitializer(node.params));
  return `tg_maxpool2d_s8(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
