import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { constantData } from '../common/values.ts';
import { requantInitializer, zeroPointsOrNull } from '../common/emit.ts';
import { windowInitializer } from '../common/window.ts';
import { convPatchBytes, type ConvParams } from './definition.ts';

export function emitQLinearConv(node: PreparedNode<ConvParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  // In the IR the weight is already in the order the kernel reads (see definition.ts).
  const weights = ctx.constArray('weights', 'int8_t', constantData(graph, node.inputs[1]!) as Int8Array);
  const bias = node.inputs[2] ? ctx.constArray('bias', 'int32_t', constantData(graph, node.inputs[2]) as Int32Array) : 'NULL';
  const zw = zeroPointsOrNull(ctx, 'weight_zero_points', p.weightZeroPoints);
  const params = ctx.constStruct(
    'conv',
    'tg_conv2d_t',
    `{ ${windowInitializer(p.geometry)}, ${p.groups}, ${p.inZeroPoint}, ${weights}, ${zw}, ${bias}, ${requantInitializer(ctx, p.requant)} }`,
  );
  const patch = convPatchBytes(node, graph) > 0 ? ctx.scratch(node) : 'NULL';
  return `tg_conv2d_s8(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${patch});`;
}
