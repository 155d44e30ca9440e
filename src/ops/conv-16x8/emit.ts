import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { constantData } from '../common/values.ts';
import { windowInitializer } from '../common/window.ts';
import { isDense16x8, type Conv16x8Params } from './definition.ts';

/**
 * Whether every sum of a channel's products plus its int64 bias fits in int32, so the kernel may
 * requantize with a 32 x 32-bit multiply: a product of int16 and int8 is at most 2^22 in magnitude.
 */
function narrowSums(node: PreparedNode<Conv16x8Params>, graph: Graph): boolean {
  const bias = node.inputs[2] ? constantData(graph, node.inputs[2]) : undefined;
  if (bias instanceof Int32Array) return false;
  const g = node.params.geometry;
  const taps = g.kH * g.kW * (g.inC / node.params.groups);
  const largestBias = bias instanceof BigInt64Array ? bias.reduce((m, b) => (b < 0n ? -b : b) > m ? (b < 0n ? -b : b) : m, 0n) : 0n;
  return BigInt(taps) * 2n ** 22n + largestBias < 2n ** 31n;
}

/**
 * tg_conv_s16_dense's body, specialised, for one group over a multiple of 4 input channels (two
 * gathered windows in the scratch space); tg_conv_s16 for anything else. The bias array keeps its
 * own type (definition.ts picks the path from it).
 */
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
    `{ ${windowInitializer(p.geometry)}, ${p.groups}, ${p.depthwiseWeights ? 1 : 0}, ${weights}, ${bias64}, ${bias32}, ${multiplier}, ${shift}, ${p.actMin}, ${p.actMax}, ${narrowSums(node, graph) ? 1 : 0} }`,
  );
  if (isDense16x8(node, graph)) {
    return ctx.specialised({ header: 'tg_conv_s16.h', body: 'tg_conv_s16_dense_body', library: 'tg_conv_s16_dense' }, params, [
      { declaration: 'const int16_t *input', name: 'input', value: ctx.pointer(node.inputs[0]!) },
      { declaration: 'int16_t *output', name: 'output', value: ctx.pointer(node.outputs[0]!) },
      { declaration: 'int16_t *patches', name: 'patches', value: `(int16_t *)${ctx.scratch(node)}` },
    ]);
  }
  return `tg_conv_s16(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
