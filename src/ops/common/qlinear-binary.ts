/**
 * What QLinearAdd and QLinearMul share: the ONNX imports (com.microsoft QOperator nodes, and the
 * float Add / Mul of a DequantizeLinear → op → QuantizeLinear pattern), shape and type rules,
 * the layout decision, the NHWC form of a constant operand, and ONNX Runtime's final conversion.
 *
 * IR: inputs [A, B], both int8 (after the uint8 rewrite) and quantized per tensor; the output is
 * quantized per tensor. attrs.ort_swap (1 when ONNX Runtime runs the kernel with B first) and
 * attrs.ort_offset (128 when ONNX Runtime computes in uint8) are fixed by shape inference, which
 * sees the model's own shapes and types, before layout and the uint8 rewrite change them; the QDQ
 * import fixes ort_offset earlier when ORT's int8 → uint8 rewrite makes it compute an int8 model
 * in uint8, and sets attrs.ort_float when ORT leaves the pattern unfused and runs
 * DequantizeLinear → float Add / Mul → QuantizeLinear (src/frontend/onnx/qdq/ort-qdq.ts).
 */
import type { DType, Graph, Node, Tensor } from '../../ir/graph.ts';
import { isConstant, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { clamp, roundHalfEven } from '../../numerics/requantize.ts';
import { CTYPE_OF, type EmitContext, type LayoutKind, type OutputInfo } from '../op.ts';
import { broadcastShape, constantToNhwc, MAX_BROADCAST_RANK, ortInput0IsSpanScalar } from './broadcast.ts';
import { requireDtype } from './values.ts';
import { cFloat } from '../../codegen/c-literals.ts';

export type QLinearBinaryOp = 'QLinearAdd' | 'QLinearMul';

/**
 * ONNX Runtime's unfused pattern (attrs.ort_float), per element, for operands and zero points in
 * tinygen's int8: DequantizeLinear of each operand (fround((v - z) * s)), the float32 Add or Mul,
 * then QuantizeLinear: fround(r / sc) saturated to the range, rounded half to even, plus zc (NaN
 * gives zc). The model's type does not matter: the uint8 rewrite moves values and zero points alike.
 */
export interface OrtFloatBinary {
  aScale: number;
  aZeroPoint: number;
  bScale: number;
  bZeroPoint: number;
  outScale: number;
  outZeroPoint: number;
}

/** The C initializer of a tg_ort_float_binary_t (disabled when absent). */
export function ortFloatInitializer(f: OrtFloatBinary | undefined): string {
  if (!f) return '{ 0, 0.0f, 0.0f, 0.0f, 0, 0, 0 }';
  return `{ 1, ${cFloat(f.aScale)}, ${cFloat(f.bScale)}, ${cFloat(f.outScale)}, ${f.aZeroPoint}, ${f.bZeroPoint}, ${f.outZeroPoint} }`;
}

export function ortFloatBinaryElement(p: OrtFloatBinary, op: QLinearBinaryOp, a: number, b: number): number {
  const fa = Math.fround((a - p.aZeroPoint) * p.aScale);
  const fb = Math.fround((b - p.bZeroPoint) * p.bScale);
  const r = Math.fround(op === 'QLinearAdd' ? fa + fb : fa * fb);
  const scaled = Math.fround(r / p.outScale);
  if (Number.isNaN(scaled)) return p.outZeroPoint;
  const zc = p.outZeroPoint;
  return roundHalfEven(clamp(scaled, -128 - zc, 127 - zc)) + zc;
}

function fail(node: Node, why: string): never {
  throw new UserError(`node '${node.name}' (${node.op}): ${why}`);
}

/**
 * The shape and type rules of a quantized binary op: A and B of one of `types` and of one type,
 * each operand quantized per tensor, numpy broadcasting.
 */
export function inferQuantizedBinary(node: Node, graph: Graph, types: DType[]): OutputInfo {
  const [a, b] = node.inputs.map((n) => tensorOf(graph, n)) as [Tensor, Tensor];
  requireDtype(node, a, types, 'A');
  requireDtype(node, b, types, 'B');
  if (a.dtype !== b.dtype) fail(node, `A is ${a.dtype} but B is ${b.dtype}; both must have one type`);
  const y = tensorOf(graph, node.outputs[0]!);
  if (y.quant && y.dtype !== 'float32' && y.dtype !== a.dtype) fail(node, `the output is ${y.dtype} but the inputs are ${a.dtype}`);
  for (const [t, role] of [[a, 'A'], [b, 'B'], [y, 'output']] as const) {
    if (!t.quant) fail(node, `${role} '${t.name}' has no quantization`);
    if (t.quant.scale.length !== 1) fail(node, `${role} '${t.name}' must be quantized per tensor`);
  }
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape) fail(node, `shapes [${a.shape}] and [${b.shape}] do not broadcast`);
  if (shape.length > MAX_BROADCAST_RANK) fail(node, `rank ${shape.length} is above the supported ${MAX_BROADCAST_RANK}`);
  if (shape.some((d) => d === 0)) fail(node, `empty tensors (shape [${shape}]) are not supported`);
  return { shape, dtype: a.dtype };
}

/**
 * QLinearAdd's and QLinearMul's rules: int8 or uint8, or int16 (TFLite's 16x8 ADD and MUL, which
 * the ops take in tflite rounding only); ONNX Runtime's operand order and offset recorded for onnx.
 */
export function inferQLinearBinary(node: Node, graph: Graph): OutputInfo[] {
  const info = inferQuantizedBinary(node, graph, ['int8', 'uint8', 'int16']);
  const [a, b] = node.inputs.map((n) => tensorOf(graph, n)) as [Tensor, Tensor];
  node.attrs.ort_swap ??= ortInput0IsSpanScalar(a.shape, b.shape) ? 1 : 0;
  node.attrs.ort_offset ??= a.dtype === 'uint8' ? 128 : 0;
  return [info];
}

/**
 * NHWC ('any') when every activation input is 4-D and so is the output: a residual add of two
 * activations, or an activation with a broadcast constant (which toNhwc permutes). Else the
 * model's own order.
 */
export function layoutQLinearBinary(node: Node, graph: Graph): LayoutKind {
  if (tensorOf(graph, node.outputs[0]!).shape.length !== 4) return 'fixed';
  const activations = node.inputs.filter((n) => !isConstant(graph, n));
  if (activations.length === 0) return 'fixed';
  return activations.every((n) => tensorOf(graph, n).shape.length === 4) ? 'any' : 'fixed';
}

/** A constant operand, broadcast against 4-D NCHW tensors, becomes its NHWC equivalent. */
export function qlinearBinaryToNhwc(node: Node, graph: Graph): void {
  for (const name of node.inputs) {
    const t = tensorOf(graph, name);
    if (!t.data) continue;
    const { shape, data } = constantToNhwc(t.shape, t.data as Int8Array);
    graph.tensors.set(name, { ...t, shape, data });
  }
}

/**
 * ONNX Runtime's last step on x86: conversion to int32 rounding half to even (an out-of-range or
 * NaN value becomes INT32_MIN), then saturation to [lo, hi] by the packing instructions.
 */
export function ortConvertSaturate(v: number, lo: number, hi: number): number {
  if (!(v < 2147483648)) return lo;
  return clamp(roundHalfEven(v), lo, hi);
}

/** A C pointer to an operand: its storage, or a constant array for a constant operand. */
export function operandPointer(graph: Graph, ctx: EmitContext, name: string, suffix: string): string {
  const data = tensorOf(graph, name).data;
  return data ? ctx.constArray(suffix, CTYPE_OF[tensorOf(graph, name).dtype], data as Int8Array | Int16Array) : ctx.pointer(name);
}
