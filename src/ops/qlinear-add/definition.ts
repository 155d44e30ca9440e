/**
 * QLinearAdd: C = A + B for int8 tensors at their own scales and zero points, with numpy
 * broadcasting. The kernel takes its operands as (x, y): (A, B), or (B, A) where ONNX Runtime
 * swaps them (attrs.ort_swap), because the order decides its float evaluation.
 *
 * - onnx: as ONNX Runtime's x86 kernel (MLAS, AVX2 with FMA), in float32:
 *     rx = sx / sc, ry = sy / sc, fixed = zc - fma(rx, zx, ry * zy),
 *     c = convert(fma(x, rx, fma(y, ry, fixed))),
 *   with values and zero points in the type ORT computes in (uint8 models, and int8 QDQ patterns
 *   ORT rewrites to uint8: + 128), the conversion rounding half to even and saturating. A QDQ
 *   pattern ORT leaves unfused (attrs.ort_float) runs its DequantizeLinear → float32 Add →
 *   QuantizeLinear instead (ortFloatBinaryElement in src/ops/common/qlinear-binary.ts).
 * - tflite: TFLM's integer ADD: both inputs (less their zero points) shifted left by 20 (int8) or
 *   15 (int16) and scaled by their Q31 multipliers (real sx / 2max(sx, sy) and sy / 2max, computed
 *   in double), summed, scaled by the output multiplier (2max / (2^shift sc)), plus zc, clamped.
 *
 * int16 ("16x8" TFLite models) exists in tflite mode only: A, B and the output all int16.
 */
import type { DType, Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { quantizeMultiplier, type QuantizedMultiplier } from '../../numerics/requantize.ts';
import { fmaf } from '../../numerics/fma.ts';
import type { CompileOptions } from '../op.ts';
import { broadcastPlan, type BroadcastPlan } from '../common/broadcast.ts';
import { activationRange } from '../common/activation.ts';
import { quantOf } from '../common/values.ts';
import type { OrtFloatBinary } from '../common/qlinear-binary.ts';
import { refuseOnnxInt16InOnnxRounding } from '../common/onnx-int16.ts';

const f32 = Math.fround;

/** TFLM's int8 ADD (and SUB) shifts its inputs left by this much. */
export const ADD_LEFT_SHIFT = 20;
/** The same for int16: 65535 << 15 still fits an int32, and so does the sum of two halves of it. */
export const ADD_LEFT_SHIFT_INT16 = 15;

/** TFLM's integer constants of ADD and SUB (the two share them; only the ratios' precision differs). */
export interface TflmAddSubConstants {
  xOffset: number;
  yOffset: number;
  leftShift: number;
  xMultiplier: QuantizedMultiplier;
  yMultiplier: QuantizedMultiplier;
  outMultiplier: QuantizedMultiplier;
  zeroPoint: number;
}

/**
 * TFLM's prepare of ADD (ratios in double) or SUB (ratios in float32: each quotient rounded to
 * float32 before QuantizeMultiplier sees it). Scales are the file's float32 values. TFLM's
 * QuantizeMultiplierSmallerThanOneExp aborts unless each ratio lies in (0, 1) and keeps a shift
 * <= 0, so those cases are refused here.
 */
export function tflmAddSubConstants(
  node: Node,
  x: { scale: number; zeroPoint: number },
  y: { scale: number; zeroPoint: number },
  out: { scale: number; zeroPoint: number },
  dtype: DType,
  ratios: 'double' | 'float32',
): TflmAddSubConstants {
  const leftShift = dtype === 'int16' ? ADD_LEFT_SHIFT_INT16 : ADD_LEFT_SHIFT;
  const [sx, sy, sc] = [f32(x.scale), f32(y.scale), f32(out.scale)];
  let reals: [number, number, number];
  if (ratios === 'double') {
    const twiceMax = 2 * Math.max(sx, sy);
    reals = [sx / twiceMax, sy / twiceMax, twiceMax / (2 ** leftShift * sc)];
  } else {
    const twiceMax = f32(2 * Math.max(sx, sy));
    reals = [f32(sx / twiceMax), f32(sy / twiceMax), f32(twiceMax / f32(2 ** leftShift * sc))];
  }
  const [xMultiplier, yMultiplier, outMultiplier] = reals.map(quantizeMultiplier) as [QuantizedMultiplier, QuantizedMultiplier, QuantizedMultiplier];
  const fail = (why: string): never => {
    throw new UserError(`node '${node.name}' (${node.op}): ${why}`);
  };
  if (!(reals[2] < 1) || outMultiplier.shift > 0) {
    fail(`the output scale ${sc} is too small for TFLite's integer ${ratios === 'double' ? 'ADD' : 'SUB'} (needs max input scale / output scale < 2^${leftShift - 1})`);
  }
  if (!reals.every((r) => r > 0 && Number.isFinite(r))) fail(`the scales (${sx}, ${sy} and output ${sc}) give a zero or non-finite ratio, which TFLM's prepare refuses`);
  return { xOffset: -x.zeroPoint, yOffset: -y.zeroPoint, leftShift, xMultiplier, yMultiplier, outMultiplier, zeroPoint: out.zeroPoint };
}

export interface QAddParams {
  /** int8, or int16 (tflite only). */
  dtype: 'int8' | 'int16';
  /** Iteration over the output, with x's and y's strides. */
  plan: BroadcastPlan;
  /** True when x is B and y is A. */
  swap: boolean;
  actMin: number;
  actMax: number;
  onnx?: { xRatio: number; yRatio: number; fixed: number; offset: number };
  /** onnx, attrs.ort_float: ONNX Runtime's unfused float path, with x's and y's quantization as "a" and "b". */
  ortFloat?: OrtFloatBinary;
  tflite?: TflmAddSubConstants;
}

/** The node's inputs in the kernel's order: [x, y]. */
export function operands(node: Node): [string, string] {
  const [a, b] = node.inputs as [string, string];
  return node.attrs.ort_swap === 1 ? [b, a] : [a, b];
}

export function prepareQLinearAdd(node: Node, graph: Graph, options: CompileOptions): QAddParams {
  const [xName, yName] = operands(node);
  const out = tensorOf(graph, node.outputs[0]!);
  const xq = quantOf(graph, node, xName, 'input');
  const yq = quantOf(graph, node, yName, 'input');
  const cq = quantOf(graph, node, out.name, 'output');
  const [sx, sy, sc] = [xq.scale[0]!, yq.scale[0]!, cq.scale[0]!];
  const [zx, zy, zc] = [xq.zeroPoint[0]!, yq.zeroPoint[0]!, cq.zeroPoint[0]!];
  const [actMin, actMax] = activationRange(node, graph);
  const dtype = out.dtype === 'int16' ? 'int16' : 'int8';
  refuseOnnxInt16InOnnxRounding(node, options);
  if (dtype === 'int16' && options.rounding !== 'tflite') {
    throw new UserError(`node '${node.name}' (${node.op}): int16 add is TFLite's 16x8 ADD and needs --rounding tflite`);
  }
  const params: QAddParams = {
    dtype,
    plan: broadcastPlan(tensorOf(graph, xName).shape, tensorOf(graph, yName).shape, out.shape),
    swap: node.attrs.ort_swap === 1,
    actMin,
    actMax,
  };
  if (options.rounding === 'onnx' && node.attrs.ort_float === 1) {
    params.onnx = { xRatio: 0, yRatio: 0, fixed: 0, offset: 0 };
    params.ortFloat = { aScale: f32(sx), aZeroPoint: zx, bScale: f32(sy), bZeroPoint: zy, outScale: f32(sc), outZeroPoint: zc };
  } else if (options.rounding === 'onnx') {
    const offset = node.attrs.ort_offset as number;
    const xRatio = f32(f32(sx) / f32(sc));
    const yRatio = f32(f32(sy) / f32(sc));
    const fixed = f32(zc + offset - fmaf(xRatio, zx + offset, f32(yRatio * (zy + offset))));
    if (![xRatio, yRatio, fixed].every(Number.isFinite)) {
      throw new UserError(`node '${node.name}' (${node.op}): the scales (${sx}, ${sy} and output ${sc}) give a non-finite float32 ratio`);
    }
    params.onnx = { xRatio, yRatio, fixed, offset };
  } else {
    // TFLM's add_common.cc: the float32 scales widened to double.
    params.tflite = tflmAddSubConstants(node, { scale: sx, zeroPoint: zx }, { scale: sy, zeroPoint: zy }, { scale: sc, zeroPoint: zc }, dtype, 'double');
  }
  return params;
}
