/**
 * QLinearGlobalAveragePool: the mean of each channel over all spatial positions, int8. Inputs of
 * rank >= 3, channels second (NCHW, NHWC inside for rank 4) or last (channels_last).
 *
 * - 'onnx', as ONNX Runtime (MLAS's QLinearGlobalAveragePool): the integer sum of x - zx,
 *   requantized by the float32 multiplier fround(sx / fround(sy * count)), rounded half to even
 *   (then + zy, so the type ORT computes in does not matter). When ORT leaves the QDQ form unfused
 *   (attrs.ort_float, see src/ops/common/ort-qdq.ts) it runs its float GlobalAveragePool instead:
 *   MLAS's global kernel sums the dequantized values in 4 float32 lanes, combined (l0 + l2) +
 *   (l1 + l3), then the leftovers, divides by the count in float32, and QuantizeLinear rounds.
 * - 'tflite', as TFLM's integer MEAN over H and W: the sum scaled by the Q31 multiplier of
 *   sx / sy, then divided by the count rounding half away from zero, plus zy.
 */
import type { AttrValue, Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { makeRequant, type Requant } from '../../numerics/requantize.ts';
import type { ImportContext, OnnxNodeView } from '../../frontend/onnx/import-context.ts';
import type { CompileOptions, LayoutKind, OutputInfo } from '../op.ts';
import { requireDtype } from '../common/values.ts';
import { perTensor } from '../common/mean.ts';
import { ortUnaryQdqPlan } from '../../frontend/onnx/qdq/ort-qdq.ts';

export interface GlobalAveragePoolParams {
  batch: number;
  channels: number;
  spatial: number;
  /** Input elements between neighbours along the batch, channel and (flattened) spatial axes. */
  batchStride: number;
  channelStride: number;
  spatialStride: number;
  inZeroPoint: number;
  mode: 'onnx' | 'tflite';
  requant: Requant;
  /** onnx: ORT's float GlobalAveragePool (and QuantizeLinear) instead of its QLinearGlobalAveragePool. */
  floatPath: boolean;
  inScale: number;
  outScale: number;
}

/** com.microsoft QLinearGlobalAveragePool (X, x_scale, x_zero_point, y_scale, y_zero_point). */
export function importQLinearGlobalAveragePool(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(1);
  const [x, xScale, xZero, yScale, yZero] = [0, 1, 2, 3, 4].map((i) => node.input(i)) as [string, string, string, string, string];
  if (xScale === '' || yScale === '') throw new UserError(`${node.label}: x_scale and y_scale are required`);
  const xTensor = ctx.graph.tensors.get(x);
  if (!xTensor) throw new UserError(`${node.label}: input '${x}' is unknown`);
  for (const zp of [xZero, yZero]) {
    if (zp !== '' && ctx.constant(node, zp, 'zero point').dtype !== xTensor.dtype) {
      throw new UserError(`${node.label}: zero point '${zp}' must have the input's type ${xTensor.dtype}`);
    }
  }
  const xq = ctx.quantization(node, xScale, xZero, 'input');
  const yq = ctx.quantization(node, yScale, yZero, 'output');
  if (xq.scale.length !== 1 || yq.scale.length !== 1) throw new UserError(`${node.label}: input and output must be quantized per tensor`);
  ctx.annotate(node, x, xq);
  ctx.declareOutput(node.outputs[0]!, xTensor.dtype, yq);
  return {
    name: node.name,
    op: 'QLinearGlobalAveragePool',
    inputs: [x],
    outputs: [node.outputs[0]!],
    attrs: { channels_last: node.int('channels_last', 0) ? 1 : 0 },
  };
}

/** DequantizeLinear → GlobalAveragePool → QuantizeLinear; attrs.ort_float when ONNX Runtime runs it unfused. */
export function importQdqGlobalAveragePool(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(1);
  const x = node.input(0);
  if (!ctx.graph.tensors.get(x)?.quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
  const attrs: Record<string, AttrValue> = { channels_last: 0 };
  if (!ortUnaryQdqPlan(node, ctx).fused) attrs.ort_float = 1;
  return { name: node.name, op: 'QLinearGlobalAveragePool', inputs: [x], outputs: [node.outputs[0]!], attrs };
}

export function inferQLinearGlobalAveragePool(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['int8', 'uint8'], 'input');
  if (x.shape.length < 3) throw new UserError(`node '${node.name}' (${node.op}): input must have rank 3 or more, got [${x.shape}]`);
  const last = node.attrs.channels_last === 1;
  return [{ shape: x.shape.map((d, i) => (i === 0 || i === (last ? x.shape.length - 1 : 1) ? d : 1)) }];
}

export const globalAveragePoolLayout = (node: Node, graph: Graph): LayoutKind =>
  tensorOf(graph, node.inputs[0]!).shape.length === 4 && node.attrs.channels_last !== 1 ? 'spatial' : 'logical';

export function globalAveragePoolToNhwc(node: Node): void {
  node.attrs.nhwc = 1;
}

export function prepareQLinearGlobalAveragePool(node: Node, graph: Graph, options: CompileOptions): void {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  const channelsLast = node.attrs.nhwc === 1 || node.attrs.channels_last === 1;
  const batch = x.shape[0]!;
  const channels = channelsLast ? x.shape[x.shape.length - 1]! : x.shape[1]!;
  const spatial = x.shape.reduce((a, b) => a * b, 1) / (batch * channels);
  const xq = perTensor(graph, node, x.name, 'input');
  const yq = perTensor(graph, node, y.name, 'output');
  const requant: Requant =
    options.rounding === 'onnx'
      ? { mode: 'onnx', multipliers: [Math.fround(xq.scale / Math.fround(yq.scale * spatial))], zeroPoint: yq.zeroPoint, min: -128, max: 127 }
      : makeRequant('tflite', xq.scale, [1], yq.scale, yq.zeroPoint);
  const params: GlobalAveragePoolParams = {
    batch,
    channels,
    spatial,
    batchStride: channels * spatial,
    channelStride: channelsLast ? 1 : spatial,
    spatialStride: channelsLast ? channels : 1,
    inZeroPoint: xq.zeroPoint,
    mode: options.rounding,
    requant,
    floatPath: options.rounding === 'onnx' && node.attrs.ort_float === 1,
    inScale: xq.scale,
    outScale: yq.scale,
  };
  node.params = params;
}
