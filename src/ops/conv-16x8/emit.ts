import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { constantData } from '../common/values.ts';
import { windowInitializer } from '../common/window.ts';
import type { Conv16x8Params } from './definition.ts';

/** tg_conv_s16: the bias array of its own type (definition.ts picks the path from it). */
export function emitConv16x8(node: PreparedNode<Conv16x8Params>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const weights = ctx.constArray('weights', 'int8_t', constantData(graph, node.inputs[1]!) as Int8Array);
  const bias = node.inputs[2] ? constantData(graph, node.inputs[2]) : undefined;
  const bias64 = bias instanceof BigInt64Array ? ctx.constArray('bias', 'int64_t', bias) : 'NULL';
  const bias32 = bias instanceof Int32Array ? ctx.constArray('bias', 'int32_t', bias) : 'NULL';
  const multiplier = ctx.constArray('multiplier', 'int32_t', p.multipliers.map((m) => m.multiplier));
  const shift = ctx.constArray('shift', 'int32_t', p.multipliers.map((m) => m.shift));
  const params = ctx.constStruct(
    'conv',
    'tg_conv_s16_t',
    `{ ${windowInitializer(p.geometry)}, ${p.groups}, ${p.depthwiseWeights ? 1 : 0}, ${weights}, ${bias64}, ${bias32}, ${multiplier}, ${shift}, ${p.actMin}, ${p.actMax} }`,
  );
  return `tg_conv_s16(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
