/**
 * Arithmetic shared by the averaging ops (QLinearAveragePool, QLinearGlobalAveragePool,
 * QLinearReduceMean), in both rounding modes.
 *
 * - 'onnx' float steps, as ONNX Runtime's CPU kernels compute them in float32: dequantize
 *   fround((x - zx) * sx), divide by the element count in float32, and quantize.
 * - 'tflite' integer steps, as TFLM's AVERAGE_POOL_2D kernel: sums of int8 values, a Q31
 *   multiplier, and an integer division rounding half away from zero. TFLM's MEAN instead folds
 *   1 / count into the multiplier and rounds once (tflmMeanMultiplier).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { clamp, roundHalfEven, type QuantizedMultiplier } from '../../numerics/requantize.ts';
import { quantOf } from './values.ts';

const f32 = Math.fround;

/** TFLM's rounded division of a sum by an element count: half away from zero, C's truncating '/'. */
export function divideRoundingAway(acc: number, count: number): number {
  const half = Math.floor(count / 2);
  return acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
}

/**
 * TFLM's int8 MEAN multiplier (reference QuantizedMeanOrSum): the Q31 multiplier of s_x / s_y with
 * 1 / count folded in, so the mean is one MultiplyByQuantizedMultiplier of the sum. With
 * k = floor(log2 count), capped at 32 (the int64 product) and at 31 + shift (the shift must stay
 * at least -31): multiplier' = trunc((multiplier << k) / count), shift' = shift - k.
 */
export function tflmMeanMultiplier(m: QuantizedMultiplier, count: number): QuantizedMultiplier {
  if (!Number.isInteger(count) || count < 1) throw new Error(`internal: mean over ${count} elements`);
  // 63 - clz64(count) is the index of the highest set bit.
  const k = Math.min(count.toString(2).length - 1, 32, 31 + m.shift);
  // The multiplier is non-negative, so BigInt's truncating division is C's int64 division.
  return { multiplier: Number((BigInt(m.multiplier) << BigInt(k)) / BigInt(count)), shift: m.shift - k };
}

/** ONNX Runtime's DequantizeLinear of one int8 value: fround((x - zero point) * scale). */
export function dequantizeOnnx(x: number, zeroPoint: number, scale: number): number {
  return f32((x - zeroPoint) * scale);
}

/** ONNX Runtime's QuantizeLinear of a float32: round half to even of fround(x / scale), plus the zero point, saturated to int8. */
export function quantizeOnnx(x: number, scale: number, zeroPoint: number): number {
  const scaled = f32(x / scale);
  return clamp(roundHalfEven(clamp(scaled, -128 - zeroPoint, 127 - zeroPoint)) + zeroPoint, -128, 127);
}

/**
 * The output step of ONNX Runtime's QLinearAveragePool: nearbyint(fround(fround(y / scale) + z))
 * saturated, where z is the zero point as the model wrote it. The addition happens in float32
 * before rounding, so for a model whose output was uint8 it must use the uint8 zero point (the
 * int8 one, 128 less, can round differently); `offset` (128 or 0) maps the result back to int8.
 */
export function quantizeAverageOnnx(y: number, scale: number, modelZeroPoint: number, offset: number): number {
  const shifted = f32(f32(y / scale) + modelZeroPoint);
  return clamp(roundHalfEven(clamp(shifted, -128 + offset, 127 + offset)), -128 + offset, 127 + offset) - offset;
}

/** The one scale and zero point of a per-tensor quantized tensor. */
export function perTensor(graph: Graph, node: Node, name: string, role: string): { scale: number; zeroPoint: number } {
  const q = quantOf(graph, node, name, role);
  if (q.scale.length !== 1 || q.zeroPoint.length !== 1) {
    throw new UserError(`node '${node.name}' (${node.op}): ${role} '${name}' must be quantized per tensor`);
  }
  return { scale: q.scale[0]!, zeroPoint: q.zeroPoint[0]! };
}

/** 128 when the model declared the node's output uint8 (attrs.uint8_output, set at import), else 0. */
export function outputOffset(node: Node): number {
  return node.attrs.uint8_output === 1 ? 128 : 0;
}

/** Records at import whether the output tensor is uint8 in the model (the uint8 → int8 pass rewrites it later). */
export function uint8OutputAttr(graph: Graph, output: string): number {
  return tensorOf(graph, output).dtype === 'uint8' ? 1 : 0;
}
