/**
 * TFLiteTransposeConv: TFLite's TRANSPOSE_CONV as TFLM computes it (micro/kernels/transpose_conv.cc
 * with reference_integer_ops::TransposeConv), in int8 and in 16x8. Every input element is scattered
 * over the output through the filter: input (iy, ix) and tap (fy, fx) land on output
 * (iy·s_h - pad_top + fy, ix·s_w - pad_left + fx), contributions outside the output are dropped,
 * the bias is added once per output element after the whole sum, and the sum is requantized per
 * output channel with s_x · s_w[c] / s_y (in double, QuantizeMultiplier) and clamped to the
 * activation range.
 * - int8: (x - z_x) · w summed in int32, wrapping as TFLM's int32 scratch does, + the int32 bias,
 *   TFLite's int32 MultiplyByQuantizedMultiplier (double rounding), + z_y.
 * - 16x8 (int16 activations): the raw x · w summed exactly (TFLM's int64 scratch), + the int64 bias,
 *   TFLite's int64 MultiplyByQuantizedMultiplier (a 15-bit multiplier, one rounding), no zero points
 *   (the importer refuses nonzero ones; TFLM would ignore them).
 * The weights' zero point is ignored on both paths, as TFLM does; the importer refuses nonzero ones.
 *
 * IR: inputs [x, w, bias?], outputs [y]; x and y NHWC, both int8 or both int16; w int8
 * [out_c][k_h][k_w][in_c] (TFLite's own order), per tensor or per output channel (axis 0); bias
 * int32 (int8) or int64 (int16) with out_c values. attrs: strides [s_h, s_w]; pads [top, left],
 * the padding TFLM derives from the output size (the rest falls off the bottom and right);
 * output_hw [out_h, out_w], the output's declared size (TFLM computes over the output tensor's
 * dims, whatever the input size implies); clamp (optional, in y's stored values).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { MAX_LEFT_SHIFT, quantizeMultiplier, tflmRealMultiplier, type QuantizedMultiplier } from '../../numerics/requantize.ts';
import type { OutputInfo } from '../op.ts';
import type { WindowGeometry } from '../common/window.ts';
import { activationRange } from '../common/activation.ts';
import { constantData, perChannel, perTensorZeroPoint, quantOf, requireDtype } from '../common/values.ts';

/** TFLM's int64 MultiplyByQuantizedMultiplier asserts shift < 8. */
const MAX_INT64_PATH_SHIFT = 7;
/** ... and |acc| < 2^47, which also keeps acc · m15 (m15 < 2^15) inside int64 in the C. */
const MAX_INT64_PATH_ACC = 2 ** 47;

export interface TfliteTransposeConvParams {
  /**
   * The geometry in tg_window_t's fields: in_* the input, out_* the output, k_* the filter,
   * padTop / padLeft the transpose conv's padding of the output; dilations are 1.
   */
  geometry: WindowGeometry;
  /** 'int8' or 'int16': the activations' type, which picks the arithmetic. */
  dtype: 'int8' | 'int16';
  /** int8 only (0 for int16). */
  inputZeroPoint: number;
  outputZeroPoint: number;
  /** Per output channel: s_x · s_w[c] / s_y. */
  multipliers: QuantizedMultiplier[];
  actMin: number;
  actMax: number;
}

function intPair(node: Node, name: string, min: number): [number, number] {
  const v = node.attrs[name];
  if (!Array.isArray(v) || v.length !== 2 || !v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= min)) {
    throw new UserError(`node '${node.name}' (${node.op}): ${name} must be two integers >= ${min}, got ${JSON.stringify(v)}`);
  }
  return v as [number, number];
}

export function inferTfliteTransposeConv(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  const w = tensorOf(graph, node.inputs[1]!);
  requireDtype(node, x, ['int8', 'int16'], 'input');
  requireDtype(node, w, ['int8'], 'weight');
  if (x.shape.length !== 4) throw new UserError(`node '${node.name}' (${node.op}): input must be 4-D NHWC, got [${x.shape}]`);
  if (w.shape.length !== 4 || w.shape[3] !== x.shape[3]) throw new UserError(`node '${node.name}' (${node.op}): weight [${w.shape}] must be [out_c][k_h][k_w][${x.shape[3]}]`);
  intPair(node, 'strides', 1);
  intPair(node, 'pads', 0);
  const [outH, outW] = intPair(node, 'output_hw', 1);
  const outC = w.shape[0]!;
  const bias = node.inputs[2];
  if (bias) {
    const b = tensorOf(graph, bias);
    requireDtype(node, b, [x.dtype === 'int16' ? 'int64' : 'int32'], 'bias');
    if (elementCount(b.shape) !== outC) throw new UserError(`node '${node.name}' (${node.op}): bias must hold ${outC} values`);
  }
  return [{ shape: [x.shape[0]!, outH, outW, outC], dtype: x.dtype }];
}

export function prepareTfliteTransposeConv(node: Node, graph: Graph): TfliteTransposeConvParams {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  const dtype = x.dtype as 'int8' | 'int16';
  const [xq, wq, yq] = [quantOf(graph, node, x.name, 'input'), quantOf(graph, node, node.inputs[1]!, 'weight'), quantOf(graph, node, y.name, 'output')];
  const [batch, inH, inW, inC] = x.shape as [number, number, number, number];
  const [, outH, outW, outC] = y.shape as [number, number, number, number];
  const w = tensorOf(graph, node.inputs[1]!);
  const [kH, kW] = [w.shape[1]!, w.shape[2]!];
  if (wq.scale.length !== 1 && wq.scale.length !== outC) throw new UserError(`node '${node.name}' (${node.op}): weight has ${wq.scale.length} scales for ${outC} output channels`);
  const [inputZeroPoint, outputZeroPoint] = [perTensorZeroPoint(graph, node, x.name, 'input'), perTensorZeroPoint(graph, node, y.name, 'output')];
  if (dtype === 'int16' && (inputZeroPoint !== 0 || outputZeroPoint !== 0)) throw new UserError(`node '${node.name}' (${node.op}): 16x8 activations must have zero point 0 (TFLM ignores it)`);

  const multipliers = perChannel(wq.scale, outC).map((ws) => quantizeMultiplier(tflmRealMultiplier(xq.scale[0]!, ws, yq.scale[0]!, 'double')));
  const maxShift = dtype === 'int16' ? MAX_INT64_PATH_SHIFT : MAX_LEFT_SHIFT;
  const tooLarge = multipliers.findIndex((m) => m.shift > maxShift);
  if (tooLarge >= 0) throw new UserError(`node '${node.name}' (${node.op}): channel ${tooLarge}'s s_x · s_w / s_y is too large for TFLM's TRANSPOSE_CONV (at most 2^${maxShift - 1})`);
  if (dtype === 'int16') requireInt64PathRange(node, graph, outC);

  const [strideH, strideW] = node.attrs.strides as [number, number];
  const [padTop, padLeft] = node.attrs.pads as [number, number];
  const [actMin, actMax] = activationRange(node, graph);
  return {
    geometry: { batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilH: 1, dilW: 1, padTop, padLeft },
    dtype,
    inputZeroPoint: dtype === 'int8' ? inputZeroPoint : 0,
    outputZeroPoint: dtype === 'int8' ? outputZeroPoint : 0,
    multipliers,
    actMin,
    actMax,
  };
}

/**
 * The 16x8 sum plus bias must stay inside TFLM's int64 requantization's domain (|acc| < 2^47): an
 * output element takes each (tap, input channel) at most once, so |acc| <= 2^15 · Σ|w[c]| + |bias[c]|.
 */
function requireInt64PathRange(node: Node, graph: Graph, outC: number): void {
  const w = constantData(graph, node.inputs[1]!) as Int8Array;
  const bias = node.inputs[2] ? (constantData(graph, node.inputs[2]) as BigInt64Array) : undefined;
  const perChannelWeights = w.length / outC;
  for (let c = 0; c < outC; c++) {
    let weights = 0;
    for (let i = c * perChannelWeights; i < (c + 1) * perChannelWeights; i++) weights += Math.abs(w[i]!);
    const b = bias ? bias[c]! : 0n;
    const bound = BigInt(weights) * 32768n + (b < 0n ? -b : b);
    if (bound >= BigInt(MAX_INT64_PATH_ACC)) {
      throw new UserError(`node '${node.name}' (${node.op}): channel ${c}'s sum with its bias can reach ${bound}, outside TFLM's int64 requantization (|acc| < 2^47)`);
    }
  }
}

/** Multiply-accumulates: each input element meets each tap whose output lands inside, for every output channel. */
export function transposeConvMacs(node: Node, graph: Graph): number {
  const x = tensorOf(graph, node.inputs[0]!).shape;
  const w = tensorOf(graph, node.inputs[1]!).shape;
  const [strides, pads, out] = [node.attrs.strides as number[], node.attrs.pads as number[], node.attrs.output_hw as number[]];
  const hits = [0, 1].map((d) => {
    let count = 0;
    for (let i = 0; i < x[1 + d]!; i++) for (let f = 0; f < w[1 + d]!; f++) if (i * strides[d]! - pads[d]! + f >= 0 && i * strides[d]! - pads[d]! + f < out[d]!) count++;
    return count;
  });
  return x[0]! * hits[0]! * hits[1]! * x[3]! * w[0]!;
}
