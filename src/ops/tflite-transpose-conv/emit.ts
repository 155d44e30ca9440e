import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { constantData } from '../common/values.ts';
import { windowInitializer } from '../common/window.ts';
import type { TfliteTransposeConvParams } from './definition.ts';

/** tg_transpose_conv_s8_c or _s16_c; the bias array of the path's own type. */
export function emitTfliteTransposeConv(node: PreparedNode<TfliteTransposeConvParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const weights = ctx.constArray('weights', 'int8_t', constantData(graph, node.inputs[1]!) as Int8Array);
  const bias = node.inputs[2] ? constantData(graph, node.inputs[2]) : undefined;
  const bias32 = bias instanceof Int32Array ? ctx.constArray('bias', 'int32_t', bias) : 'NULL';
  const bias64 = bias instanceof BigInt64Array ? ctx.constArray('bias', 'int64_t', bias) : 'NULL';
  const multiplier = ctx.constArray('multiplier', 'int32_t', p.multipliers.map((m) => m.multiplier));
  const shift = ctx.constArray('shift', 'int32_t', p.multipliers.map((m) => m.shift));
  const params = ctx.constStruct(
    'transpose_conv',
    'tg_transpose_conv_t',
    `{ .win = ${windowInitializer(p.geometry)}, .input_zero_point = ${p.inputZeroPoint}, .output_zero_point = ${p.outputZeroPoint}, ` +
      `.weights = ${weights}, .bias32 = ${bias32}, .bias64 = ${bias64}, .multiplier = ${multiplier}, .shift = ${shift}, .act_min = ${p.actMin}, .act_max = ${p.actMax} }`,
  );
  const kernel = p.dtype === 'int16' ? 'tg_transpose_conv_s16_c' : 'tg_transpose_conv_s8_c';
  return `${kernel}(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
