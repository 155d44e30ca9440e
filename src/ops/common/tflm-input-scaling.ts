/**
 * What TFLM's int8 SOFTMAX, LOGISTIC and TANH check and compute at prepare: the output
 * quantization they require, and the constants that bring an input (difference) into gemmlowp
 * fixed point (a Q31 multiplier, a left shift, and the input radius beyond which the format
 * would overflow). The int8 per-tensor check also serves LEAKY_RELU and HARD_SWISH; the int16
 * check (zero points 0) serves the 16x8 LOGISTIC, TANH and SOFTMAX.
 */
import type { DType, Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { quantizeMultiplier } from '../../numerics/requantize.ts';
import { quantOf, requireDtype } from './values.ts';

export interface FixedPointInputScaling {
  multiplier: number;
  /** Power-of-two exponent: positive shifts left. */
  leftShift: number;
  /** Inputs with |x| at or beyond this are outside the format (TFLM's CalculateInputRadius). */
  radius: number;
}

/** TFLM's CalculateInputRadius: floor((2^bits - 1) * 2^(31 - bits) / 2^leftShift). */
export function inputRadius(integerBits: number, leftShift: number): number {
  return Math.floor(((2 ** integerBits - 1) * 2 ** (31 - integerBits)) / 2 ** leftShift);
}

/**
 * Scaling of `realScale` (one input unit) into a format with `integerBits` integer bits:
 * TFLM's PreprocessSoftmaxScaling (real capped at 2^31 - 1) and the frexp of LOGISTIC's and
 * TANH's prepare. For a float32 scale, frexp's mantissa times 2^31 is an integer, so
 * TfLite's QuantizeMultiplier gives the same multiplier and shift.
 */
export function fixedPointInputScaling(realScale: number, integerBits: number): FixedPointInputScaling {
  const { multiplier, shift } = quantizeMultiplier(Math.min(realScale * 2 ** (31 - integerBits), 2 ** 31 - 1));
  return { multiplier, leftShift: shift, radius: inputRadius(integerBits, shift) };
}

/** The one output quantization TFLM's kernel computes in (it rescales nothing after the fixed point). */
export interface RequiredOutputQuant {
  scale: number;
  zeroPoint: number;
}

/** Scale and zero point of one per-tensor quantized activation. */
export interface PerTensorQuant {
  scale: number;
  zeroPoint: number;
}

/**
 * Checks an int8 → int8 TFLM elementwise op (one input, one output, per-tensor quantization; or
 * another of `types`, the output of the input's type) and returns both quantizations.
 */
export function int8PerTensorIo(node: Node, graph: Graph, types: DType[] = ['int8']): { input: PerTensorQuant; output: PerTensorQuant } {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  requireDtype(node, x, types, 'input');
  requireDtype(node, y, [x.dtype], 'output');
  const xq = quantOf(graph, node, x.name, 'input');
  const yq = quantOf(graph, node, y.name, 'output');
  if (xq.scale.length !== 1 || yq.scale.length !== 1) throw new UserError(`node '${node.name}' (${node.op}): input and output must be quantized per tensor`);
  return { input: { scale: xq.scale[0]!, zeroPoint: xq.zeroPoint[0]! }, output: { scale: yq.scale[0]!, zeroPoint: yq.zeroPoint[0]! } };
}

/**
 * Checks an int16 → int16 TFLM op whose kernel works in fixed point without zero points (LOGISTIC,
 * TANH, SOFTMAX: TFLM's prepare requires both to be 0) and returns both quantizations.
 */
export function tflmInt16UnaryIo(node: Node, graph: Graph): { input: PerTensorQuant; output: PerTensorQuant } {
  const io = int8PerTensorIo(node, graph, ['int16']);
  if (io.input.zeroPoint !== 0 || io.output.zeroPoint !== 0) {
    throw new UserError(`node '${node.name}' (${node.op}): int16 input and output need zero points of 0 (TFLM's kernel), found ${io.input.zeroPoint} and ${io.output.zeroPoint}`);
  }
  return io;
}

/**
 * What a TFLM int8 kernel's prepare checks of its fixed output quantization: SOFTMAX both the
 * scale and the zero point, LOGISTIC only the zero point, TANH nothing. The kernel writes its
 * fixed-point result in the required units whatever the tensor says, and the next operator reads
 * those bytes under the tensor's own quantization; tinygen does the same (docs/numerics.md).
 */
export type OutputCheck = 'scale and zero point' | 'zero point' | 'none';

/** Checks an int8 → int8 TFLM activation as TFLM's prepare does and returns the input's scale and zero point. */
export function tflmUnaryIo(node: Node, graph: Graph, required: RequiredOutputQuant, check: OutputCheck): PerTensorQuant {
  const { input, output } = int8PerTensorIo(node, graph);
  // float32 comparison, as TFLM compares the file's float32 scale.
  const scaleWrong = check === 'scale and zero point' && Math.fround(output.scale) !== Math.fround(required.scale);
  const zeroPointWrong = check !== 'none' && output.zeroPoint !== required.zeroPoint;
  if (scaleWrong || zeroPointWrong) {
    const needs = check === 'zero point' ? `zero point ${required.zeroPoint}` : `scale ${required.scale} and zero point ${required.zeroPoint}`;
    throw new UserError(`node '${node.name}' (${node.op}): the output must have ${needs} (TFLM's int8 kernel), found scale ${output.scale} and zero point ${output.zeroPoint}`);
  }
  return input;
}
