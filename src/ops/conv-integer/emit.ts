import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { constantData } from '../common/values.ts';
import { zeroPointsOrNull } from '../common/emit.ts';
import { windowInitializer } from '../common/window.ts';
import type { ConvIntegerParams } from './definition.ts';

export function emitConvInteger(node: PreparedNode<ConvIntegerParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const weights = ctx.constArray('weights', 'int8_t', constantData(graph, node.inputs[1]!) as Int8Array);
  const zw = zeroPointsOrNull(ctx, 'weight_zero_points', p.weightZeroPoints);
  const params = ctx.constStruct('conv', 'tg_conv_integer_t', `{ ${windowInitializer(p.geometry)}, ${p.groups}, ${p.inZeroPoint}, ${weights}, ${zw} }`);
  return `tg_conv2d_s8_s32(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
