import type { Graph } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { constantData } from '../common/values.ts';
import { requantInitializer, zeroPointsOrNull } from '../common/emit.ts';
import { windowInitializer } from '../common/window.ts';
import { convPatchBytes, isDepthwise, type ConvParams } from './definition.ts';

export function emitQLinearConv(node: PreparedNode<ConvParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const ohwi = constantData(graph, node.inputs[1]!) as Int8Array;
  // The depthwise kernel runs channels innermost: it reads its weights as [k_h][k_w][out_c].
  const weights = ctx.constArray('weights', 'int8_t', isDepthwise(node, graph) ? transposeOutChannelsLast(ohwi, tensorOf(graph, node.inputs[1]!).shape[0]!) : ohwi);
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

/** [out_c][taps] → [taps][out_c]. */
function transposeOutChannelsLast(weights: Int8Array, outChannels: number): Int8Array {
  const taps = weights.length / outChannels;
  const out = new Int8Array(weights.length);
  for (let oc = 0; oc < outChannels; oc++) for (let t = 0; t < taps; t++) out[t * outChannels + oc] = weights[oc * taps + t]!;
  return out;
}
