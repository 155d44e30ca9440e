/**
 * QLinearSoftmax: softmax of int8 values along one axis, requantized.
 *
 * IR: inputs [x], outputs [y], per-tensor quantized. attrs.axis (made non-negative by shape
 * inference), attrs.opset (the softmax semantics: before 13, the 2-D coercion that flattens
 * every axis from `axis` on into one row; from 13, one axis), attrs.ort_signed (1 when ONNX
 * Runtime's kernel runs in int8, fixed by shape inference before the uint8 rewrite).
 *
 * Each row is D elements `inner` apart: outer x D x inner. Two semantics:
 *
 * - onnx, ONNX Runtime's QLinearSoftmax (contrib_ops/cpu/quantization/qlinear_softmax.cc):
 *   a table of 256 float32 exps, exp((d + b) * s_x) for each difference d = x - max in
 *   [-255, 0], where b = max(0, logf(FLT_MAX / D) - 5) / s_x keeps the row sum finite (the double
 *   exp rounded to float32; logf in float32); the row sum in float32, in order; then per element
 *   q = fround(fround(e * Y) / sum) with Y = floor(fround(1 / s_y)), rounded half to even,
 *   plus the zero point, saturated. When e * Y overflows to infinity (a near-1 probability with
 *   Y above about e^5 D), ONNX Runtime's float-to-integer conversion gives INT32_MIN (int8 path,
 *   wrapping when the zero point is negative) or 0 (uint8 path): that value is reproduced.
 * - tflite, TFLM's int8 SOFTMAX (reference_ops::Softmax, the gemmlowp fixed-point path, not a
 *   LUT): input differences scaled to Q5.26 by a Q31 multiplier (beta = 1), exp in Q0.31, the
 *   sum in Q12.19, a Newton-Raphson reciprocal, and the output by a rounding shift. TFLM only
 *   accepts an output scale of 1/256 with zero point -128; other output scales are honoured
 *   here by one more Q31 multiplier (or shift, for a power of two).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { quantizeMultiplier } from '../../numerics/requantize.ts';
import type { CompileOptions, LayoutKind, OutputInfo } from '../op.ts';
import { quantOf, requireDtype } from '../common/values.ts';
import { fixedPointInputScaling } from '../common/tflm-input-scaling.ts';

/** TFLM's softmax scales input differences into Q5.26. */
export const SOFTMAX_DIFF_INTEGER_BITS = 5;

const f32 = Math.fround;
const FLOAT_MAX = 3.4028234663852886e38;

/** Rows of the softmax: outer x D x inner elements. */
export interface SoftmaxGeometry {
  outer: number;
  axis: number;
  inner: number;
}

export interface SoftmaxOnnxParams {
  mode: 'onnx';
  geometry: SoftmaxGeometry;
  /** exp of d = x - max, at index d + 255. */
  expTable: Float32Array;
  /** floor(fround(1 / s_y)). */
  yFactor: number;
  zeroPoint: number;
  /** The output where e * Y overflows. */
  overflowValue: number;
}

export interface SoftmaxTfliteParams {
  mode: 'tflite';
  geometry: SoftmaxGeometry;
  inputMultiplier: number;
  inputLeftShift: number;
  /** Differences below this contribute nothing and give the zero point. */
  diffMin: number;
  /** Q31 multiplier of the probability to the output scale, or 0 for a pure shift. */
  outputMultiplier: number;
  outputShift: number;
  zeroPoint: number;
}

export type SoftmaxParams = SoftmaxOnnxParams | SoftmaxTfliteParams;

function fail(node: Node, why: string): never {
  throw new UserError(`node '${node.name}' (${node.op}): ${why}`);
}

export function inferQLinearSoftmax(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  requireDtype(node, x, ['int8', 'uint8'], 'input');
  // ONNX Runtime fuses DequantizeLinear → Softmax → QuantizeLinear only with one type on both
  // sides (otherwise it runs a float Softmax); its QLinearSoftmax has one type T throughout.
  if (node.attrs.qdq && y.dtype !== x.dtype) fail(node, `the input is ${x.dtype} but the output is quantized to ${y.dtype}; one type is needed on both sides`);
  if (node.attrs.zero_point_type !== undefined && node.attrs.zero_point_type !== x.dtype) fail(node, `the zero points are ${String(node.attrs.zero_point_type)} but X is ${x.dtype}`);
  for (const [t, role] of [[x, 'input'], [y, 'output']] as const) {
    if (!t.quant) fail(node, `the ${role} '${t.name}' has no quantization`);
    if (t.quant.scale.length !== 1) fail(node, `the ${role} '${t.name}' must be quantized per tensor`);
  }
  const rank = x.shape.length;
  if (rank === 0) fail(node, 'the input must have at least one dimension');
  const axis = node.attrs.axis as number;
  if (axis < -rank || axis >= rank) fail(node, `axis ${axis} is outside rank ${rank}`);
  node.attrs.axis = axis < 0 ? axis + rank : axis;
  node.attrs.ort_signed ??= x.dtype === 'int8' ? 1 : 0;
  return [{ shape: [...x.shape], dtype: x.dtype }];
}

/** From opset 13 one axis, which may follow the tensor into NHWC; before, the flattened tail needs the model's order. */
export function layoutQLinearSoftmax(node: Node): LayoutKind {
  return (node.attrs.opset as number) >= 13 ? 'any' : 'fixed';
}

/** NCHW axis → its NHWC position. */
export function softmaxToNhwc(node: Node): void {
  node.attrs.axis = [0, 3, 1, 2][node.attrs.axis as number]!;
}

export function softmaxGeometry(node: Node, shape: readonly number[]): SoftmaxGeometry {
  const axis = node.attrs.axis as number;
  const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
  if ((node.attrs.opset as number) < 13) return { outer: product(shape.slice(0, axis)), axis: product(shape.slice(axis)), inner: 1 };
  return { outer: product(shape.slice(0, axis)), axis: shape[axis]!, inner: product(shape.slice(axis + 1)) };
}

/** ONNX Runtime's table: exp((d + b) s_x) for d = -255 .. 0, b from the row length D. */
export function ortExpTable(xScale: number, rowLength: number): Float32Array {
  const headroom = f32(Math.log(f32(FLOAT_MAX / f32(rowLength)))); // logf of a float32 quotient
  const bitShift = Math.max(0, headroom - 5) / xScale;
  return Float32Array.from({ length: 256 }, (_, i) => f32(Math.exp((i - 255 + bitShift) * xScale)));
}

function powerOfTwoExponent(x: number): number | undefined {
  const e = Math.round(Math.log2(x));
  return 2 ** e === x ? e : undefined;
}

export function prepareQLinearSoftmax(node: Node, graph: Graph, options: CompileOptions): SoftmaxParams {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  requireDtype(node, x, ['int8'], 'input');
  requireDtype(node, y, ['int8'], 'output');
  const xq = quantOf(graph, node, x.name, 'input');
  const yq = quantOf(graph, node, y.name, 'output');
  const [xScale, yScale, zeroPoint] = [xq.scale[0]!, yq.scale[0]!, yq.zeroPoint[0]!];
  const geometry = softmaxGeometry(node, x.shape);

  if (options.rounding === 'onnx') {
    const yFactor = Math.floor(f32(1 / yScale));
    // The kernels round with a float32 trick valid below 2^22; ONNX Runtime needs an int32 anyway.
    if (yFactor >= 2 ** 22) fail(node, `the output scale ${yScale} is too small (1 / scale must stay below 2^22)`);
    // After the uint8 rewrite the zero point is the model's minus 128; ONNX Runtime's uint8 path
    // turns an overflow into 0 + zero point, its int8 path into INT32_MIN + zero point (wrapped).
    const overflowValue = node.attrs.ort_signed ? (zeroPoint >= 0 ? -128 : 127) : zeroPoint;
    const params: SoftmaxOnnxParams = { mode: 'onnx', geometry, expTable: ortExpTable(xScale, geometry.axis), yFactor, zeroPoint, overflowValue };
    return params;
  }

  // TFLM's PreprocessSoftmaxScaling (beta = 1, 5 integer bits) and CalculateInputRadius.
  if (geometry.axis >= 4096) fail(node, `rows of ${geometry.axis} elements are too long for tflite rounding (the Q12.19 sum of exps holds at most 4095)`);
  const input = fixedPointInputScaling(xScale, SOFTMAX_DIFF_INTEGER_BITS);
  if (input.multiplier === 0 || input.leftShift < 0) fail(node, `the input scale ${xScale} is too small for tflite rounding (at least 2^-26)`);
  let outputMultiplier = 0;
  let outputShift: number;
  const pot = powerOfTwoExponent(yScale);
  if (pot !== undefined) {
    outputShift = 31 + pot; // probability in Q0.31 → units of 2^pot
  } else {
    const m = quantizeMultiplier(1 / (yScale * 2 ** 31));
    if (m.multiplier === 0 || m.shift > 0) fail(node, `the output scale ${yScale} is outside what tflite rounding supports for softmax`);
    outputMultiplier = m.multiplier;
    outputShift = -m.shift;
  }
  if (outputShift < 0) fail(node, `the output scale ${yScale} is too small for tflite rounding`);
  const params: SoftmaxTfliteParams = {
    mode: 'tflite',
    geometry,
    inputMultiplier: input.multiplier,
    inputLeftShift: input.leftShift,
    diffMin: -input.radius,
    outputMultiplier,
    outputShift,
    zeroPoint,
  };
  return params;
}
