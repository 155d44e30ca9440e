/** The per-tensor or per-axis layout of QuantizeLinear / DequantizeLinear. */
import type { Quantization } from '../../ir/graph.ts';
import { elementCount } from '../../ir/graph.ts';
import type { EmitContext } from '../op.ts';

export interface AffineParams {
  outer: number;
  axis: number;
  inner: number;
  scale: number[];
  zeroPoint: number[];
}

export function affineParams(shape: readonly number[], quant: Quantization): AffineParams {
  if (quant.scale.length === 1 || quant.axis === undefined) {
    return { outer: 1, axis: 1, inner: elementCount(shape), scale: quant.scale, zeroPoint: quant.zeroPoint };
  }
  const axis = quant.axis < 0 ? quant.axis + shape.length : quant.axis;
  return {
    outer: elementCount(shape.slice(0, axis)),
    axis: shape[axis]!,
    inner: elementCount(shape.slice(axis + 1)),
    scale: quant.scale,
    zeroPoint: quant.zeroPoint,
  };
}

export function affineInitializer(ctx: EmitContext, p: AffineParams): string {
  const scale = ctx.constArray('scale', 'float', p.scale);
  const zeroPoint = ctx.constArray('zero_point', 'int32_t', p.zeroPoint);
  return `{ ${p.outer}, ${p.axis}, ${p.inner}, ${scale}, ${zeroPoint} }`;
}
