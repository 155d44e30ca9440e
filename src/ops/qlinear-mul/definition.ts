/**
 * QLinearMul: C = A * B for int8 tensors at their own scales and zero points, with numpy
 * broadcasting. The integer product p = (a - za)(b - zb) is exact; then
 *
 * - onnx: as ONNX Runtime's x86 kernel (MLAS, SSE2), in float32: ratio = (sa * sb) / sc,
 *   c = convert(p * ratio + zc), each operation rounded separately, zc in the type ORT computes in
 *   (uint8 models, and int8 QDQ patterns ORT rewrites to uint8: + 128), the conversion rounding
 *   half to even and saturating. A QDQ pattern ORT leaves unfused (attrs.ort_float) runs its
 *   DequantizeLinear → float32 Mul → QuantizeLinear instead (ortFloatBinaryElement in
 *   src/ops/common/qlinear-binary.ts).
 * - tflite: TFLM's integer MUL: one Q31 multiplier for sa * sb / sc (in double), double
 *   rounding, plus zc, clamped. int16 operands (TFLite's 16x8 MUL, tflite rounding only) take the
 *   same steps: the product of two int16 values is at most 2^30.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { MAX_LEFT_SHIFT, onnxMultiplier, quantizeMultiplier, type QuantizedMultiplier } from '../../numerics/requantize.ts';
import type { CompileOptions } from '../op.ts';
import { broadcastPlan, type BroadcastPlan } from '../common/broadcast.ts';
import { activationRange } from '../common/activation.ts';
import { quantOf } from '../common/values.ts';
import type { OrtFloatBinary } from '../common/qlinear-binary.ts';
import { refuseOnnxInt16InOnnxRounding } from '../common/onnx-int16.ts';

export interface QMulParams {
  /** Iteration over the output, with A's and B's strides. */
  plan: BroadcastPlan;
  aZeroPoint: number;
  bZeroPoint: number;
  actMin: number;
  actMax: number;
  onnx?: { ratio: number; zeroPoint: number; offset: number };
  /** onnx, attrs.ort_float: ONNX Runtime's unfused float path. */
  ortFloat?: OrtFloatBinary;
  tflite?: { multiplier: QuantizedMultiplier; zeroPoint: number };
}

export function prepareQLinearMul(node: Node, graph: Graph, options: CompileOptions): QMulParams {
  const [aName, bName] = node.inputs as [string, string];
  const out = tensorOf(graph, node.outputs[0]!);
  const aq = quantOf(graph, node, aName, 'A');
  const bq = quantOf(graph, node, bName, 'B');
  const cq = quantOf(graph, node, out.name, 'output');
  const [sa, sb, sc] = [aq.scale[0]!, bq.scale[0]!, cq.scale[0]!];
  const zc = cq.zeroPoint[0]!;
  const [actMin, actMax] = activationRange(node, graph);
  const params: QMulParams = {
    plan: broadcastPlan(tensorOf(graph, aName).shape, tensorOf(graph, bName).shape, out.shape),
    aZeroPoint: aq.zeroPoint[0]!,
    bZeroPoint: bq.zeroPoint[0]!,
    actMin,
    actMax,
  };
  refuseOnnxInt16InOnnxRounding(node, options);
  if (out.dtype === 'int16' && options.rounding !== 'tflite') throw new UserError(`node '${node.name}' (${node.op}): int16 mul is TFLite's 16x8 MUL and needs --rounding tflite`);
  if (options.rounding === 'onnx' && node.attrs.ort_float === 1) {
    params.onnx = { ratio: 0, zeroPoint: 0, offset: 0 };
    params.ortFloat = { aScale: Math.fround(sa), aZeroPoint: aq.zeroPoint[0]!, bScale: Math.fround(sb), bZeroPoint: bq.zeroPoint[0]!, outScale: Math.fround(sc), outZeroPoint: zc };
  } else if (options.rounding === 'onnx') {
    const offset = node.attrs.ort_offset as number;
    const ratio = onnxMultiplier(sa, sb, sc);
    if (!Number.isFinite(ratio)) throw new UserError(`node '${node.name}' (${node.op}): the scales (${sa} x ${sb} / ${sc}) give a non-finite float32 ratio`);
    params.onnx = { ratio, zeroPoint: zc + offset, offset };
  } else {
    const real = (sa * sb) / sc;
    const multiplier = quantizeMultiplier(real);
    if (multiplier.shift > MAX_LEFT_SHIFT) {
      throw new UserError(`node '${node.name}' (${node.op}): the multiplier ${real} (A scale x B scale / output scale) is too large for tflite rounding`);
    }
    params.tflite = { multiplier, zeroPoint: zc };
  }
  return params;
}
