import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { convArrays } from '../common/emit.ts';
import { windowInitializer } from '../common/window.ts';
import type { TfliteTransposeConvParams } from './definition.ts';

/** tg_transpose_conv_s8_c or _s16_c; the bias array of the path's own type. */
export function emitTfliteTransposeConv(node: PreparedNode<TfliteTransposeConvParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const { weights, bias32, bias64, multiplier, shift } = convArrays(node, graph, ctx, p.multipliers);
  const params = ctx.constStruct(
    'transpose_conv',
    'tg_transpose_conv_t',
    `{ .win = ${windowInitializer(p.geometry)}, .input_zero_point = ${p.inputZeroPoint}, .output_zero_point = ${p.outputZeroPoint}, ` +
      `.weights = ${weights}, .bias32 = ${bias32}, .bias64 = ${bias64}, .multiplier = ${multiplier}, .shift = ${shift}, .act_min = ${p.actMin}, .act_max = ${p.actMax} }`,
  );
  const kernel = p.dtype === 'int16' ? 'tg_transpose_conv_s16_c' : 'tg_transpose_conv_s8_c';
  return `${kernel}(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
