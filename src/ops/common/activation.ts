/**
 * Activation clamps: attrs.clamp, an integer [lo, hi] in the storage type of the node's output
 * (see OpDefinition.fusesActivation in src/ops/op.ts for the contract). Each frontend computes it
 * from the real bounds with its own runtime's rule (quantizeBoundHalfEven for ONNX Runtime here,
 * TFLM's in src/frontend/tflite/importer.ts); ops read it as it is.
 */
import type { DType, Graph, Node, Quantization } from '../../ir/graph.ts';
import { quantizedRange, tensorOf } from '../../ir/graph.ts';
import { clamp, roundHalfEven } from '../../numerics/requantize.ts';

/** The [min, max] of a quantized storage type. */
export function storageRange(dtype: DType): [number, number] {
  const range = quantizedRange(dtype);
  if (!range) throw new Error(`internal: no integer clamp for ${dtype}`);
  return range;
}

/**
 * ONNX Runtime's QuantizeLinear of a real bound into the output's domain: half to even of the
 * float32 quotient, plus the zero point, saturated; an infinite bound is the type's end.
 */
export function quantizeBoundHalfEven(bound: number, quant: Quantization, dtype: DType): number {
  const [qmin, qmax] = storageRange(dtype);
  if (!Number.isFinite(bound)) return bound > 0 ? qmax : qmin;
  return clamp(roundHalfEven(Math.fround(Math.fround(bound) / quant.scale[0]!)) + quant.zeroPoint[0]!, qmin, qmax);
}

/** attrs.clamp, checked, or undefined when the node has none. */
export function clampAttr(node: Node): [number, number] | undefined {
  const bounds = node.attrs.clamp;
  if (bounds === undefined) return undefined;
  if (!Array.isArray(bounds) || bounds.length !== 2 || !bounds.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    throw new Error(`internal: '${node.name}' (${node.op}) clamp ${JSON.stringify(bounds)}`);
  }
  return [bounds[0] as number, bounds[1] as number];
}

/** Quantized [min, max] of a node's output (int8 or int16 by prepare time): the type's range narrowed by attrs.clamp, if any. */
export function activationRange(node: Node, graph: Graph, output = node.outputs[0]!): [number, number] {
  const bounds = clampAttr(node);
  const dtype = tensorOf(graph, output).dtype;
  if (!bounds) return dtype === 'int16' ? storageRange(dtype) : [-128, 127];
  const range = storageRange(dtype);
  if (bounds[0] < range[0] || bounds[1] > range[1]) throw new Error(`internal: '${node.name}' (${node.op}) clamp [${bounds}] outside its output's range`);
  return bounds;
}

/** Intersects two integer ranges. */
export function narrow(a: readonly number[] | undefined, b: readonly number[]): [number, number] {
  return a ? [Math.max(a[0]!, b[0]!), Math.min(a[1]!, b[1]!)] : [b[0]!, b[1]!];
}
