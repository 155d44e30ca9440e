import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { windowInitializer } from '../common/window.ts';
import type { MaxPoolParams } from './definition.ts';

export function emitMaxPool(node: PreparedNode<MaxPoolParams>, _graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const params = ctx.constStruct('pool', 'tg_window_t', windowInitializer(p));
  if (p.int16) {
    return `tg_maxpool2d_s16(&${params}, ${p.int16.actMin}, ${p.int16.actMax}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
  }
  return `tg_maxpool2d_s8(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
