/**
 * Activation bounds in real units (Relu: [0, +inf], Clip: [min, max]) and their quantized
 * form for a given output quantization, as ONNX Runtime's QuantizeLinear would compute it.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { clamp, roundHalfEven } from '../../numerics/requantize.ts';

/** Quantized [min, max] of a node's output: the int8 range narrowed by attrs.activation, if any. */
export function activationRange(node: Node, graph: Graph, output = node.outputs[0]!): [number, number] {
  const bounds = node.attrs.activation as number[] | undefined;
  if (!bounds) return [-128, 127];
  const q = tensorOf(graph, output).quant!;
  const quantize = (v: number) => (Number.isFinite(v) ? clamp(roundHalfEven(Math.fround(Math.fround(v) / q.scale[0]!)) + q.zeroPoint[0]!, -128, 127) : v > 0 ? 127 : -128);
  return [quantize(bounds[0]!), quantize(bounds[1]!)];
}

/** Intersects two real ranges. */
export function narrow(a: readonly number[] | undefined, b: readonly number[]): number[] {
  return a ? [Math.max(a[0]!, b[0]!), Math.min(a[1]!, b[1]!)] : [...b];
}
