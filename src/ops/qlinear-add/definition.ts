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
 * - tflite: TFLM's integer ADD: both inputs shifted left by 20 and scaled by their Q31
 *   multipliers (real sx / 2max(sx, sy) and sy / 2max), summed, scaled by the output multiplier
 *   (2max / (2^20 sc)), plus zc, clamped.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { quantizeMultiplier, type QuantizedMultiplier } from '../../numerics/requantize.ts';
import { fmaf } from '../../numerics/fma.ts';
import type { CompileOptions } from '../op.ts';
import { broadcastPlan, type BroadcastPlan } from '../common/broadcast.ts';
import { activationRange } from '../common/activation.ts';
import { quantOf } from '../common/values.ts';
import type { OrtFloatBinary } from '../common/qlinear-binary.ts';

const f32 = Math.fround;

/** TFLM's int8 ADD shifts its inputs left by this much. */
export const ADD_LEFT_SHIFT = 20;

export interface QAddParams {
  /** Iteration over the output, with x's and y's strides. */
  plan: BroadcastPlan;
  /** True when x is B and y is A. */
  swap: boolean;
  actMin: number;
  actMax: number;
  onnx?: { xRatio: number; yRatio: number; fixed: number; offset: number };
  /** onnx, attrs.ort_float: ONNX Runtime's unfused float path, with x's and y's quantization as "a" and "b". */
  ortFloat?: OrtFloatBinary;
  tflite?: {
    xOffset: number;
    yOffset: number;
    leftShift: number;
    xMultiplier: QuantizedMultiplier;
    yMultiplier: QuantizedMultiplier;
    outMultiplier: QuantizedMultiplier;
    zeroPoint: number;
  };
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
  const params: QAddParams = {
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
    // TFLM: float scales widened to double.
    const twiceMax = 2 * Math.max(sx, sy);
    const realOutput = twiceMax / (2 ** ADD_LEFT_SHIFT * sc);
    if (!(realOutput < 1)) {
      throw new UserError(
        `node '${node.name}' (${node.op}): the output scale ${sc} is too small for TFLite's integer ADD (needs max input scale / output scale < 2^${ADD_LEFT_SHIFT - 1})`,
      );
    }
    params.tflite = {
      xOffset: -zx,
      yOffset: -zy,
      leftShift: ADD_LEFT_SHIFT,
      xMultiplier: quantizeMultiplier(sx / twiceMax),
      yMultiplier: quantizeMultiplier(sy / twiceMax),
      outMultiplier: quantizeMultiplier(realOutput),
      zeroPoint: zc,
    };
  }
  return params;
}
