/** C initializers shared by several ops' emission. */
import type { Graph } from '../../ir/graph.ts';
import type { QuantizedMultiplier, Requant } from '../../numerics/requantize.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { constantData } from './values.ts';

/**
 * The constant arrays of TFLM's convolutions with per-channel multipliers (Conv16x8,
 * TFLiteTransposeConv): int8 weights (input 1), the bias (input 2) in its own type with the other
 * type's pointer NULL, and the multipliers and shifts.
 */
export function convArrays(node: PreparedNode<unknown>, graph: Graph, ctx: EmitContext, multipliers: readonly QuantizedMultiplier[]) {
  const bias = node.inputs[2] ? constantData(graph, node.inputs[2]) : undefined;
  return {
    weights: ctx.constArray('weights', 'int8_t', constantData(graph, node.inputs[1]!) as Int8Array),
    bias32: bias instanceof Int32Array ? ctx.constArray('bias', 'int32_t', bias) : 'NULL',
    bias64: bias instanceof BigInt64Array ? ctx.constArray('bias', 'int64_t', bias) : 'NULL',
    multiplier: ctx.constArray('multiplier', 'int32_t', multipliers.map((m) => m.multiplier)),
    shift: ctx.constArray('shift', 'int32_t', multipliers.map((m) => m.shift)),
  };
}

/** A tg_requant_t initializer; its constant arrays are declared through ctx. */
export function requantInitializer(ctx: EmitContext, rq: Requant): string {
  const perChannel = rq.multipliers.length > 1 ? 1 : 0;
  if (rq.mode === 'onnx') {
    const scale = ctx.constArray('scale', 'float', rq.multipliers);
    return `{ TG_ROUND_ONNX, ${perChannel}, ${scale}, NULL, NULL, ${rq.zeroPoint}, ${rq.min}, ${rq.max} }`;
  }
  const multiplier = ctx.constArray('multiplier', 'int32_t', rq.multipliers.map((m) => m.multiplier));
  const shift = ctx.constArray('shift', 'int32_t', rq.multipliers.map((m) => m.shift));
  return `{ TG_ROUND_TFLITE, ${perChannel}, NULL, ${multiplier}, ${shift}, ${rq.zeroPoint}, ${rq.min}, ${rq.max} }`;
}

/** An int32 array of zero points, or NULL when every one is 0 (the kernels' fast case). */
export function zeroPointsOrNull(ctx: EmitContext, suffix: string, zeroPoints: readonly number[]): string {
  return zeroPoints.every((z) => z === 0) ? 'NULL' : ctx.constArray(suffix, 'int32_t', zeroPoints);
}

/**
 * A tg_channel_requant_t initializer for the specialised kernels: constants per output channel, or
 * one set for all (channel_mask 0), TFLM's shift split into left and right shifts, and the
 * activation range less the zero point. The kernel's name carries the mode.
 */
export function channelRequantInitializer(ctx: EmitContext, rq: Requant): string {
  const mask = rq.multipliers.length > 1 ? -1 : 0;
  const range = `${rq.zeroPoint}, ${rq.min - rq.zeroPoint}, ${rq.max - rq.zeroPoint}`;
  if (rq.mode === 'onnx') return `{ ${mask}, NULL, NULL, NULL, ${ctx.constArray('scale', 'float', rq.multipliers)}, ${range}, NULL }`;
  const multiplier = ctx.constArray('multiplier', 'int32_t', rq.multipliers.map((q) => q.multiplier));
  const left = ctx.constArray('left_shift', 'int8_t', rq.multipliers.map((q) => Math.max(q.shift, 0)));
  const right = ctx.constArray('right_shift', 'int8_t', rq.multipliers.map((q) => Math.max(-q.shift, 0)));
  // Every channel shifting right by 2 or more: the one-sum form (tg_multiply_q31_right), with the
  // high words of its rounding offsets.
  const rounding = rq.multipliers.every((q) => q.shift <= -2) ? ctx.constArray('rounding_high', 'int32_t', rq.multipliers.map((q) => 2 ** (-q.shift - 2))) : 'NULL';
  return `{ ${mask}, ${multiplier}, ${left}, ${right}, NULL, ${range}, ${rounding} }`;
}
