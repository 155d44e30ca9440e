import type { Graph } from '../../ir/graph.ts';
import { clamp, multiplyByQuantizedMultiplier, requantizeTflite } from '../../numerics/requantize.ts';
import { fmaf } from '../../numerics/fma.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { forEachBroadcast } from '../common/broadcast.ts';
import { ortConvertSaturate, ortFloatBinaryElement } from '../common/qlinear-binary.ts';
import type { QAddParams } from './definition.ts';

/** One output element from int8 operands x and y (see definition.ts for both modes). */
export function addElement(p: QAddParams, x: number, y: number): number {
  if (p.ortFloat) return clamp(ortFloatBinaryElement(p.ortFloat, 'QLinearAdd', x, y), p.actMin, p.actMax);
  if (p.onnx) {
    const { xRatio, yRatio, fixed, offset } = p.onnx;
    const v = fmaf(x + offset, xRatio, fmaf(y + offset, yRatio, fixed));
    return clamp(ortConvertSaturate(v, -128 + offset, 127 + offset) - offset, p.actMin, p.actMax);
  }
  const t = p.tflite!;
  const scaledX = multiplyByQuantizedMultiplier((x + t.xOffset) * 2 ** t.leftShift, t.xMultiplier);
  const scaledY = multiplyByQuantizedMultiplier((y + t.yOffset) * 2 ** t.leftShift, t.yMultiplier);
  return requantizeTflite(scaledX + scaledY, t.outMultiplier, t.zeroPoint, p.actMin, p.actMax);
}

export function referenceQLinearAdd(node: PreparedNode<QAddParams>, [a, b]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const [x, y] = (p.swap ? [b!, a!] : [a!, b!]).map((v) => v.data as Int8Array) as [Int8Array, Int8Array];
  const out = outputValue(graph, node);
  forEachBroadcast(p.plan, (o, ix, iy) => {
    out.data[o] = addElement(p, x[ix]!, y[iy]!);
  });
  return [out];
}
