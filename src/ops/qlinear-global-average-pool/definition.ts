/**
 * QLinearGlobalAveragePool: the mean of each channel over all spatial positions, int8. Inputs of
 * rank >= 3, channels second (NCHW, NHWC inside for rank 4) or last (channels_last).
 *
 * - 'onnx', as ONNX Runtime (MLAS's QLinearGlobalAveragePool): the integer sum of x - zx,
 *   requantized by the float32 multiplier fround(sx / fround(sy * count)), rounded half to even
 *   (then + zy, so the type ORT computes in does not matter). When ORT leaves the QDQ form unfused
 *   (attrs.ort_float, see src/frontend/onnx/qdq/ort-qdq.ts) it runs its float GlobalAveragePool instead:
 *   MLAS's global kernel sums the dequantized values in 4 float32 lanes, combined (l0 + l2) +
 *   (l1 + l3), then the leftovers, divides by the count in float32, and QuantizeLinear rounds.
 * - 'tflite', as TFLM's integer MEAN over H and W: the sum scaled by the Q31 multiplier of
 *   sx / sy, then divided by the count rounding half away from zero, plus zy.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { makeRequant, type Requant } from '../../numerics/requantize.ts';
import type { CompileOptions, LayoutKind, OutputInfo } from '../op.ts';
import { requireDtype } from '../common/values.ts';
import { perTensor } from '../common/mean.ts';

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

export function inferQLinearGlobalAveragePool(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['int8', 'uint8'], 'input');
  if (x.shape.length < 3) throw new UserError(`node '${node.name}' (${node.op}): input must have rank 3 or more, got [${x.shape}]`);
  const last = node.attrs.channels_last === 1;
  return [{ shape: x.shape.map((d, i) => (i === 0 || i === (last ? x.shape.length - 1 : 1) ? d : 1)) }];
}

export const globalAveragePoolLayout = (node: Node, graph: Graph): LayoutKind =>
  tensorOf(graph, node.inputs[0]!).shape.length === 4 && node.attrs.channels_last !== 1 ? 'permutable' : 'fixed';

/** The pool now reads channels last (its output shape was inferred before). */
export function globalAveragePoolToNhwc(node: Node): void {
  node.attrs.channels_last = 1;
}

export function prepareQLinearGlobalAveragePool(node: Node, graph: Graph, options: CompileOptions): GlobalAveragePoolParams {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  const channelsLast = node.attrs.channels_last === 1;
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
  return params;
}
