/**
 * QLinearAveragePool: int8 average pooling over 2-D windows on 4-D inputs (a model's 1-D pool is
 * lifted at import to the 2-D one with H = 1; attrs.pool_rank keeps ONNX Runtime's rank, which
 * picks its kernel). In the IR its only input is x; scales and zero points live on the tensors.
 * Inputs are NCHW, or NHWC (channels_last = 1: the model's, or set by the layout pass when it moves
 * an NCHW pool onto NHWC tensors); the kernel addresses both through strides. Dilations other than 1 are refused (the com.microsoft op has none).
 *
 * Semantics per rounding mode (src/ops/qlinear-average-pool/reference.ts):
 * - 'onnx', as ONNX Runtime's QLinearAveragePool CPU kernel: each tap dequantized to float32, summed
 *   in window order in float32, divided by the count in float32, and quantized with the addition
 *   of the zero point in float32. A window that covers the whole unpadded input is ORT's global
 *   path instead: an integer sum requantized by fround(sx / fround(sy * count)).
 *   The QDQ form runs what ORT runs for it (src/frontend/onnx/qdq/ort-qdq.ts): that kernel in the type
 *   ORT computes in (an int8 pattern whose Q → DQ pairs are one-to-one becomes uint8, and the
 *   zero point added in float is then the uint8 one: attrs.uint8_output), or, when ORT leaves the
 *   pattern unfused (attrs.ort_float), its float AveragePool: taps dequantized to float32, summed
 *   in float32 in the order of the kernel ORT picks (see floatSumOrder), divided by the count in
 *   float32 (count_include_pad counts the window clipped to the padded input), then QuantizeLinear
 *   (round half to even of fround(mean / sy), then + zy).
 * - 'tflite', as TFLM's AVERAGE_POOL_2D: an integer sum divided by the count, rounding half away
 *   from zero; when input and output quantization differ, the sum is first scaled by the Q31
 *   multiplier of sx / sy (as TFLM's integer MEAN).
 * The windows and the count are ONNX Runtime's in both modes: SAME_* pads resolved without
 * clamping at 0 (see resolveSamePadding), and the count is the kernel area with count_include_pad
 * (also for a ceil_mode window that runs past the end padding), else the taps inside the input.
 *
 * int16 (TFLite's 16x8 AVERAGE_POOL_2D, tflite rounding only) is TFLM's int16 kernel, which takes
 * only the case TFLM's Prepare allows: NHWC, the output quantized as the input, padding not
 * counted. The raw values of the taps inside the input summed in int32, divided by their count
 * rounding half away from zero, clamped to attrs.clamp (the fused activation, put on the op by
 * the importer for int16, as TFLM clamps inside the kernel).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { makeRequant, type Requant } from '../../numerics/requantize.ts';
import type { CompileOptions, LayoutKind, OutputInfo } from '../op.ts';
import { resolveWindow, windowGeometry, type WindowGeometry } from '../common/window.ts';
import { requireDtype } from '../common/values.ts';
import { activationRange } from '../common/activation.ts';
import { outputOffset, perTensor } from '../common/mean.ts';
import { ORT_NCHWC_BLOCK } from '../common/mlas.ts';

/** ONNX Runtime's float AveragePool sum orders (values of tg_avgpool_t.float_sum). */
export const FLOAT_SUM = { none: 0, rows: 1, columns: 2, lanes4: 3 } as const;
export type FloatSum = keyof typeof FLOAT_SUM;

export interface AveragePoolParams {
  geometry: WindowGeometry;
  /** Elements between neighbours along n, h, w, c, in the input and in the output. */
  inStrides: [number, number, number, number];
  outStrides: [number, number, number, number];
  countIncludePad: boolean;
  mode: 'onnx' | 'tflite';
  /** onnx: ONNX Runtime's integer path for a window that is the whole unpadded input. */
  global: boolean;
  inScale: number;
  inZeroPoint: number;
  outScale: number;
  /** onnx: the output zero point as the model wrote it (uint8 or int8), and 128 or 0 to map back to int8. */
  modelOutZeroPoint: number;
  outOffset: number;
  /** tflite: equal input and output quantization, TFLM's rounded division of raw sums. */
  sameQuant: boolean;
  /** onnx global: multiplier fround(sx / fround(sy * count)); tflite: Q31 multiplier of sx / sy with the output zero point. */
  requant: Requant;
  /** onnx: 'none' runs ORT's QLinearAveragePool; otherwise ORT's float AveragePool, summing in this order. */
  floatSum: FloatSum;
  /** count_include_pad counts the window clipped to the padded input, as ORT's float AveragePool does (both modes, so tflite stays near ORT). */
  clipCount: boolean;
  /** The padded input's extent (inH + pad bottom, inW + pad right). */
  paddedH: number;
  paddedW: number;
  /** The output zero point (int8), for the float path's QuantizeLinear. */
  outZeroPoint: number;
  /** int16 (TFLM's 16x8 kernel): the activation range the average is clamped to. */
  int16?: { actMin: number; actMax: number };
}

/**
 * The order in which ONNX Runtime's float AveragePool sums a window (measured against ORT 1.30 on
 * x86-64 with AVX-512, and read from MLAS):
 * - 'rows' (row by row, left to right, from 0): the NCHWc kernel ORT's NchwcTransformer moves a
 *   4-D pool to when the channel count is a multiple of ORT_NCHWC_BLOCK; ORT's generic kernel for
 *   the opset-19 AveragePool, and for count_include_pad with ceil_mode at any opset; MLAS's generic
 *   kernel (a stride wider than 2, a kernel over 32, a very wide row, or a 1-D pool).
 * - 'lanes4': MLAS's global kernel (kernel = input, strides 1, no pads): the taps in row-major
 *   order into 4 lanes, lanes combined (l0 + l2) + (l1 + l3), then the leftover taps.
 * - 'columns': MLAS's vectorized 2-D kernel (stride along W of at most 2): each column of the window
 *   summed top to bottom, then the column sums left to right.
 */
function floatSumOrder(node: Node, g: WindowGeometry, channels: number): FloatSum {
  const pads = node.attrs.pads as number[];
  const twoD = node.attrs.pool_rank === 2;
  if (twoD && channels % ORT_NCHWC_BLOCK === 0) return 'rows';
  if (node.attrs.ort_opset19 === 1 || (node.attrs.ceil_mode === 1 && node.attrs.count_include_pad === 1)) return 'rows';
  if (g.kH === g.inH && g.kW === g.inW && g.strideH === 1 && g.strideW === 1 && pads.every((p) => p === 0)) return 'lanes4';
  // MLAS's reduction buffer holds 2048 floats, 3 of them spare, the padded row must fit.
  if (twoD && g.strideW <= 2 && g.kH <= 32 && g.kW <= 32 && pads[1]! + pads[3]! + g.inW <= 2045) return 'columns';
  return 'rows';
}

/** [N, C, H, W] of a 4-D tensor in its storage order (H = 1 for a 1-D pool, lifted at import). */
function logicalDims(node: Node, shape: readonly number[]): { n: number; c: number; h: number; w: number } {
  const [n, a, b, c] = shape as [number, number, number, number];
  return node.attrs.channels_last === 1 ? { n, c, h: a, w: b } : { n, c: a, h: b, w: c };
}

/**
 * SAME_UPPER / SAME_LOWER as ONNX Runtime's pooling resolves them: pad_needed =
 * (ceil(in / stride) - 1) * stride + kernel - in, split with C's truncating division, and not
 * clamped at 0, so a stride larger than the kernel gives negative pads that shift the windows
 * into the input. The pads are written back as explicit ones.
 */
function resolveSamePadding(node: Node, inputHW: [number, number]): void {
  const autoPad = node.attrs.auto_pad as string;
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') return;
  const kernel = node.attrs.kernel_shape as number[];
  const strides = node.attrs.strides as number[];
  const pads = [0, 0, 0, 0];
  for (let d = 0; d < 2; d++) {
    const needed = (Math.ceil(inputHW[d]! / strides[d]!) - 1) * strides[d]! + kernel[d]! - inputHW[d]!;
    pads[d] = autoPad === 'SAME_UPPER' ? Math.trunc(needed / 2) : Math.trunc((needed + 1) / 2);
    pads[d + 2] = needed - pads[d]!;
  }
  node.attrs.pads = pads;
  node.attrs.auto_pad = 'NOTSET';
}

export function inferQLinearAveragePool(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['int8', 'uint8', 'int16'], 'input');
  const y = tensorOf(graph, node.outputs[0]!);
  if (x.dtype === 'int16' || y.dtype === 'int16') {
    requireDtype(node, x, ['int16'], 'input');
    requireDtype(node, y, ['int16'], 'output');
  }
  if (x.shape.length !== 4) {
    const model = node.attrs.pool_rank === 1 ? `a 1-D pool's input lifted to 4-D` : 'a 4-D input';
    throw new UserError(`node '${node.name}' (${node.op}): needs ${model}, got [${x.shape}]`);
  }
  const { n, c, h, w } = logicalDims(node, x.shape);
  resolveSamePadding(node, [h, w]);
  const { outputHW } = resolveWindow(node, [h, w]);
  const [oh, ow] = outputHW;
  return [{ shape: node.attrs.channels_last === 1 ? [n, oh, ow, c] : [n, c, oh, ow] }];
}

export const averagePoolLayout = (node: Node, graph: Graph): LayoutKind =>
  tensorOf(graph, node.inputs[0]!).shape.length === 4 && node.attrs.channels_last !== 1 ? 'permutable' : 'fixed';

/** NHWC inside: nothing to convert; the pool now reads channels last (its output shape was inferred before). */
export function averagePoolToNhwc(node: Node): void {
  node.attrs.channels_last = 1;
}

/** Strides (n, h, w, c) of a tensor of logical dims in its storage order. */
function strides(node: Node, d: { n: number; c: number; h: number; w: number }): [number, number, number, number] {
  const image = d.c * d.h * d.w;
  return node.attrs.channels_last === 1 ? [image, d.w * d.c, d.c, 1] : [image, d.w, 1, d.h * d.w];
}

export function prepareQLinearAveragePool(node: Node, graph: Graph, options: CompileOptions): AveragePoolParams {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  const inDims = logicalDims(node, x.shape);
  const outDims = logicalDims(node, y.shape);
  const geometry = windowGeometry(node, [inDims.n, inDims.h, inDims.w, inDims.c], [outDims.n, outDims.h, outDims.w, outDims.c]);
  if (x.dtype === 'int16' && options.rounding !== 'tflite') int16Refusal(node, 'which needs --rounding tflite');
  const xq = perTensor(graph, node, x.name, 'input');
  const yq = perTensor(graph, node, y.name, 'output');
  const offset = outputOffset(node);
  const global = options.rounding === 'onnx' && node.attrs.ort_float !== 1 && geometry.kH === geometry.inH && geometry.kW === geometry.inW && (node.attrs.pads as number[]).every((p) => p === 0);
  const count = geometry.inH * geometry.inW;
  const requant: Requant =
    options.rounding === 'onnx'
      ? { mode: 'onnx', multipliers: [Math.fround(xq.scale / Math.fround(yq.scale * count))], zeroPoint: yq.zeroPoint, min: -128, max: 127 }
      : makeRequant('tflite', xq.scale, [1], yq.scale, yq.zeroPoint);
  const params: AveragePoolParams = {
    geometry,
    inStrides: strides(node, inDims),
    outStrides: strides(node, outDims),
    countIncludePad: node.attrs.count_include_pad === 1,
    mode: options.rounding,
    global,
    inScale: xq.scale,
    inZeroPoint: xq.zeroPoint,
    outScale: yq.scale,
    modelOutZeroPoint: yq.zeroPoint + offset,
    outOffset: offset,
    sameQuant: xq.scale === yq.scale && xq.zeroPoint === yq.zeroPoint,
    requant,
    floatSum: options.rounding === 'onnx' && node.attrs.ort_float === 1 ? floatSumOrder(node, geometry, inDims.c) : 'none',
    clipCount: node.attrs.ort_float === 1,
    paddedH: geometry.inH + (node.attrs.pads as number[])[2]!,
    paddedW: geometry.inW + (node.attrs.pads as number[])[3]!,
    outZeroPoint: yq.zeroPoint,
  };
  if (x.dtype === 'int16') {
    const [actMin, actMax] = activationRange(node, graph);
    params.int16 = { actMin, actMax };
    checkInt16(node, params);
  } else if (node.attrs.clamp !== undefined) {
    // The int8 kernels have no clamp: an activation reaches them as a Clamp node of its own.
    throw new Error(`internal: int8 QLinearAveragePool '${node.name}' has a clamp`);
  }
  return params;
}

function int16Refusal(node: Node, why: string): never {
  throw new UserError(`node '${node.name}' (${node.op}): int16 average pooling is TFLite's 16x8 AVERAGE_POOL_2D, ${why}`);
}

/**
 * What TFLM's int16 kernel computes and nothing else: its Prepare refuses other quantizations,
 * and its Eval fails on a window with no tap inside the input. With at most 65535 taps neither
 * its int32 sum nor the sum plus or minus half the count can overflow.
 */
function checkInt16(node: Node, p: AveragePoolParams): void {
  const refuse = (why: string) => int16Refusal(node, why);
  const g = p.geometry;
  if (!p.sameQuant) refuse('whose output keeps the input\'s scale and zero point');
  if (p.countIncludePad || node.attrs.ort_float === 1) refuse('which counts only the taps inside the input');
  if (node.attrs.channels_last !== 1) refuse('which runs on NHWC tensors');
  if (g.dilH !== 1 || g.dilW !== 1) refuse('which has no dilations');
  if (g.kH * g.kW > 65535) refuse(`whose int32 sum could overflow with a ${g.kH}x${g.kW} window`);
  const empty = (out: number, stride: number, pad: number, k: number, size: number) =>
    Array.from({ length: out }, (_, o) => o * stride - pad).some((start) => Math.max(start, 0) >= Math.min(start + k, size));
  if (empty(g.outH, g.strideH, g.padTop, g.kH, g.inH) || empty(g.outW, g.strideW, g.padLeft, g.kW, g.inW)) refuse('which fails on a window with no tap inside the input');
}
