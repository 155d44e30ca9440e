import type { Graph } from '../../ir/graph.ts';
import { reducedMultiplier } from '../../numerics/requantize.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { constantData } from '../common/values.ts';
import { windowInitializer } from '../common/window.ts';
import { convArrays } from '../common/emit.ts';
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
  const { weights, bias32, bias64, multiplier, shift } = convArrays(node, graph, ctx, p.multipliers);
  // TFLM's int64 path as one rounding high multiply (tg_mbqm_s64_high): the 15-bit multiplier
  // (multiplyByQuantizedMultiplier64) times 2^(32 - t), t = 15 - shift, where sums fit int32 and t is 16 to 32.
  const fast = narrowSums(node, graph) && p.multipliers.every((m) => 15 - m.shift >= 16 && 15 - m.shift <= 32);
  const high = fast ? ctx.constArray('high_multiplier', 'int32_t', p.multipliers.map((m) => reducedMultiplier(m.multiplier) * 2 ** (32 - (15 - m.shift)))) : 'NULL';
  const params = ctx.constStruct(
    'conv',
    'tg_conv_s16_t',
    `{ ${windowInitializer(p.geometry)}, ${p.groups}, ${p.depthwiseWeights ? 1 : 0}, ${weights}, ${bias64}, ${bias32}, ${multiplier}, ${shift}, ${p.actMin}, ${p.actMax}, ${high} }`,
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
