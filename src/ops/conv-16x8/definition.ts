/**
 * Conv16x8: TFLite's 16x8 convolution (CONV_2D and DEPTHWISE_CONV_2D with int16 activations, int8
 * weights) as TFLM computes it (reference_integer_ops::ConvPerChannel and DepthwiseConvPerChannel
 * for int16): the raw products summed, the bias added after the whole sum, TFLite's
 * MultiplyByQuantizedMultiplier with the channel's multiplier (s_x · s_w[c] / s_y in double), and
 * the activation clamp. TFLM reads no zero point on this path (16x8 quantization makes them 0), so
 * neither does tinygen; the importer refuses nonzero ones rather than ignore them silently.
 *
 * The bias type picks the arithmetic, as in TFLM: an int64 bias (the 16x8 norm) or none sums in
 * int64 and uses the int64 MultiplyByQuantizedMultiplier (a 15-bit multiplier, one rounding); an
 * int32 bias sums in int32, wrapping, and uses the int32 one (double rounding).
 *
 * IR: inputs [x, w, bias?], outputs [y]; x and y int16 NHWC, w int8 [out_c][k_h][k_w][in_c / group]
 * or [1][k_h][k_w][out_c] for a depthwise layer (as QLinearConv); attrs as QLinearConv's, and
 * scale_product 'float32' where s_x · s_w is rounded to float32 before the division (TFLM's
 * per-tensor FULLY_CONNECTED, which the TFLite importer makes a 1x1 Conv16x8; TflmScaleProduct).
 * attrs.onnx_int16_qdq 'Conv' marks an ONNX int16 QDQ Conv: tflite rounding only (common/onnx-int16.ts).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { quantizeMultiplier, tflmRealMultiplier, type QuantizedMultiplier } from '../../numerics/requantize.ts';
import type { CompileOptions, OutputInfo } from '../op.ts';
import { refuseOnnxInt16InOnnxRounding } from '../common/onnx-int16.ts';
import { convWeightDims, nhwcWindowInputHW, resolveWindow, windowGeometry, type WindowGeometry } from '../common/window.ts';
import { activationRange } from '../common/activation.ts';
import { perChannel, quantOf, requireDtype } from '../common/values.ts';
import { isDepthwise } from '../qlinear-conv/definition.ts';

/** TFLM's int64 MultiplyByQuantizedMultiplier takes shifts below 8 (it asserts so). */
const MAX_INT64_PATH_SHIFT = 7;

export interface Conv16x8Params {
  geometry: WindowGeometry;
  groups: number;
  depthwiseWeights: boolean;
  /** Per output channel: s_x · s_w[c] / s_y. */
  multipliers: QuantizedMultiplier[];
  accumulator: 'int64' | 'int32';
  actMin: number;
  actMax: number;
}

export function inferConv16x8(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  const w = tensorOf(graph, node.inputs[1]!);
  requireDtype(node, x, ['int16'], 'input');
  requireDtype(node, w, ['int8'], 'weight');
  const [h, wd] = nhwcWindowInputHW(node, x.shape);
  const { outC } = convWeightDims(node, x.shape, w.shape, isDepthwise(node, graph));
  const bias = node.inputs[2];
  if (bias) {
    const b = tensorOf(graph, bias);
    requireDtype(node, b, ['int64', 'int32'], 'bias');
    if (b.shape.reduce((a, d) => a * d, 1) !== outC) throw new UserError(`node '${node.name}' (${node.op}): bias must hold ${outC} values`);
  }
  const { outputHW } = resolveWindow(node, [h, wd]);
  return [{ shape: [x.shape[0]!, ...outputHW, outC], dtype: 'int16' }];
}

/** One group over a multiple of 4 input channels: the dense kernel (tg_conv_s16.h), whose DSP body pairs columns in fours. */
export function isDense16x8(node: Node, graph: Graph): boolean {
  return (node.attrs.group as number) === 1 && tensorOf(graph, node.inputs[0]!).shape[3]! % 4 === 0;
}

/** Two gathered windows of int16 (k_h · k_w · in_c values each) for the dense kernel. */
export function conv16x8PatchBytes(node: Node, graph: Graph): number {
  if (!isDense16x8(node, graph)) return 0;
  const w = tensorOf(graph, node.inputs[1]!).shape;
  return 2 * 2 * (w[1]! * w[2]! * w[3]!);
}

export function prepareConv16x8(node: Node, graph: Graph, options: CompileOptions): Conv16x8Params {
  refuseOnnxInt16InOnnxRounding(node, options);
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  const [xq, wq, yq] = [quantOf(graph, node, x.name, 'input'), quantOf(graph, node, node.inputs[1]!, 'weight'), quantOf(graph, node, y.name, 'output')];
  const outC = y.shape[3]!;
  if (wq.scale.length !== 1 && wq.scale.length !== outC) throw new UserError(`node '${node.name}' (${node.op}): weight has ${wq.scale.length} scales for ${outC} output channels`);
  const accumulator = node.inputs[2] && tensorOf(graph, node.inputs[2]).dtype === 'int32' ? 'int32' : 'int64';
  const product = node.attrs.scale_product === 'float32' ? 'float32' : 'double';
  const multipliers = perChannel(wq.scale, outC).map((ws) => quantizeMultiplier(tflmRealMultiplier(xq.scale[0]!, ws, yq.scale[0]!, product)));
  const maxShift = accumulator === 'int64' ? MAX_INT64_PATH_SHIFT : 30;
  const tooLarge = multipliers.findIndex((m) => m.shift > maxShift);
  if (tooLarge >= 0) {
    throw new UserError(`node '${node.name}' (${node.op}): channel ${tooLarge}'s s_x · s_w / s_y is too large for TFLM's 16x8 convolution (at most 2^${maxShift - 1})`);
  }
  const [actMin, actMax] = activationRange(node, graph);
  return { geometry: windowGeometry(node, x.shape, y.shape), groups: node.attrs.group as number, depthwiseWeights: isDepthwise(node, graph), multipliers, accumulator, actMin, actMax };
}
