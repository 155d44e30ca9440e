import type { Graph } from '../../ir/graph.ts';
import { clamp, requantizeTflite } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { forEachBroadcast } from '../common/broadcast.ts';
import { ortConvertSaturate, ortFloatBinaryElement } from '../common/qlinear-binary.ts';
import type { QMulParams } from './definition.ts';

const f32 = Math.fround;

/** One output element from int8 operands a and b (see definition.ts for both modes). */
export function mulElement(p: QMulParams, a: number, b: number): number {
  if (p.ortFloat) return clamp(ortFloatBinaryElement(p.ortFloat, 'QLinearMul', a, b), p.actMin, p.actMax);
  const product = (a - p.aZeroPoint) * (b - p.bZeroPoint);
  if (p.onnx) {
    const { ratio, zeroPoint, offset } = p.onnx;
    const v = f32(f32(product * ratio) + zeroPoint);
    return clamp(ortConvertSaturate(v, -128 + offset, 127 + offset) - offset, p.actMin, p.actMax);
  }
  return requantizeTflite(product, p.tflite!.multiplier, p.tflite!.zeroPoint, p.actMin, p.actMax);
}

export function referenceQLinearMul(node: PreparedNode<QMulParams>, [a, b]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const x = a!.data as Int8Array | Int16Array;
  const y = b!.data as Int8Array | Int16Array;
  const out = outputValue(graph, node);
  forEachBroadcast(p.plan, (o, ia, ib) => {
    out.data[o] = mulElement(p, x[ia]!, y[ib]!);
  });
  return [out];
}
