/** C initializers shared by several ops' emission. */
import type { Requant } from '../../numerics/requantize.ts';
import type { EmitContext } from '../op.ts';

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
