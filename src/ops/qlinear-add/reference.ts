import type { Graph } from '../../ir/graph.ts';
import { clamp, multiplyByQuantizedMultiplier, requantizeTflite } from '../../numerics/requantize.ts';
import { fmaf } from '../../numerics/fma.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { forEachBroadcast } from '../common/broadcast.ts';
import { ortConvertSaturate, ortFloatBinaryElement } from '../common/qlinear-binary.ts';
import type { QAddParams, TflmAddSubConstants } from './definition.ts';

/**
 * TFLM's integer ADD (sign 1) or SUB (sign -1) of one element pair, int8 or int16 alike: each side
 * less its zero point, shifted left, scaled by its multiplier (double rounding, all shifts <= 0),
 * the two summed or subtracted in int32, scaled to the output, plus its zero point, clamped.
 */
export function tflmAddSubElement(t: TflmAddSubConstants, sign: 1 | -1, x: number, y: number, actMin: number, actMax: number): number {
  // An int32 multiply in TFLM and in the C. The shifts (20 for int8, 15 for int16) keep it in
  // range; Math.imul wraps as the C would if they did not.
  const scaledX = multiplyByQuantizedMultiplier(Math.imul(x + t.xOffset, 2 ** t.leftShift), t.xMultiplier);
  const scaledY = multiplyByQuantizedMultiplier(Math.imul(y + t.yOffset, 2 ** t.leftShift), t.yMultiplier);
  return requantizeTflite(scaledX + sign * scaledY, t.outMultiplier, t.zeroPoint, actMin, actMax);
}

/** One output element from operands x and y (int8, or int16 in tflite mode; see definition.ts for both modes). */
export function addElement(p: QAddParams, x: number, y: number): number {
  if (p.ortFloat) return clamp(ortFloatBinaryElement(p.ortFloat, 'QLinearAdd', x, y), p.actMin, p.actMax);
  if (p.onnx) {
    const { xRatio, yRatio, fixed, offset } = p.onnx;
    const v = fmaf(x + offset, xRatio, fmaf(y + offset, yRatio, fixed));
    return clamp(ortConvertSaturate(v, -128 + offset, 127 + offset) - offset, p.actMin, p.actMax);
  }
  return tflmAddSubElement(p.tflite!, 1, x, y, p.actMin, p.actMax);
}

export function referenceQLinearAdd(node: PreparedNode<QAddParams>, [a, b]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const [x, y] = (p.swap ? [b!, a!] : [a!, b!]).map((v) => v.data as Int8Array | Int16Array) as [Int8Array | Int16Array, Int8Array | Int16Array];
  const out = outputValue(graph, node);
  forEachBroadcast(p.plan, (o, ix, iy) => {
    out.data[o] = addElement(p, x[ix]!, y[iy]!);
  });
  return [out];
}
