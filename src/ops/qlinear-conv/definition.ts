/**
 * QLinearConv: int8 2-D convolution with int32 bias. In the IR its inputs are [x, w, bias?];
 * scales and zero points live on the tensors. x and y are NHWC. w is in the layout the kernel
 * reads: [out_c][k_h][k_w][in_c / group], or [1][k_h][k_w][out_c] for a depthwise layer (one
 * input channel per group, several groups), whose kernel runs channels innermost. The frontends
 * put them there (ONNX's NCHW and OIHW are converted at import; a 1-D convolution becomes the
 * 2-D one over [1, L]).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorBytes, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { makeRequant, type Requant } from '../../numerics/requantize.ts';
import type { CompileOptions, InPlaceRule, OutputInfo } from '../op.ts';
import { convWeightDims, nhwcWindowInputHW, resolveWindow, windowGeometry, type WindowGeometry } from '../common/window.ts';
import { activationRange } from '../common/activation.ts';
import { perChannel, perTensorZeroPoint, quantOf, requireDtype } from '../common/values.ts';

export interface ConvParams {
  geometry: WindowGeometry;
  groups: number;
  inZeroPoint: number;
  weightZeroPoints: number[];
  depthwiseWeights: boolean;
  requant: Requant;
}

export function inferQLinearConv(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  const w = tensorOf(graph, node.inputs[1]!);
  requireDtype(node, x, ['int8', 'uint8'], 'input');
  requireDtype(node, w, ['int8', 'uint8'], 'weight');
  const [h, wd] = nhwcWindowInputHW(node, x.shape);
  const { outC } = convWeightDims(node, x.shape, w.shape, isDepthwise(node, graph));
  const bias = node.inputs[2];
  if (bias && tensorOf(graph, bias).shape.reduce((a, b) => a * b, 1) !== outC) {
    throw new UserError(`node '${node.name}' (QLinearConv): bias must hold ${outC} values`);
  }
  const { outputHW } = resolveWindow(node, [h, wd]);
  return [{ shape: [x.shape[0]!, ...outputHW, outC] }];
}

export function prepareQLinearConv(node: Node, graph: Graph, options: CompileOptions): ConvParams {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  const wQuant = quantOf(graph, node, node.inputs[1]!, 'weight');
  const xQuant = quantOf(graph, node, x.name, 'input');
  const yQuant = quantOf(graph, node, y.name, 'output');
  const outC = y.shape[3]!;
  if (wQuant.scale.length !== 1 && wQuant.scale.length !== outC) {
    throw new UserError(`node '${node.name}' (QLinearConv): weight has ${wQuant.scale.length} scales for ${outC} output channels`);
  }
  const params: ConvParams = {
    geometry: windowGeometry(node, x.shape, y.shape),
    groups: node.attrs.group as number,
    inZeroPoint: perTensorZeroPoint(graph, node, x.name, 'input'),
    weightZeroPoints: perChannel(wQuant.zeroPoint, outC),
    depthwiseWeights: isDepthwise(node, graph),
    requant: makeRequant(options.rounding, xQuant.scale[0]!, wQuant.scale, yQuant.scale[0]!, perTensorZeroPoint(graph, node, y.name, 'output'), ...activationRange(node, graph)),
  };
  return params;
}

/** One input channel per group, several groups: the kernel's depthwise path, which needs no patch; its weight is [1][k_h][k_w][out_c]. */
export function isDepthwise(node: Node, graph: Graph): boolean {
  const w = tensorOf(graph, node.inputs[1]!).shape;
  return (node.attrs.group as number) > 1 && w.length === 4 && w[0] === 1;
}

/**
 * The kernel a layer runs, decided from its shape at compile time; the fast kernels take layers
 * with no weight zero point:
 * - '1x1': a 1x1 window with no padding and one group, a matrix product of int8 operands (tg_conv_1x1_s8);
 * - 'depthwise': one filter per channel (multiplier 1), tg_conv_dw_s8;
 * - 'dense': one group, any other window, int8 dot products over a gathered int8 patch (tg_conv_dense_s8);
 * - 'general': tg_conv2d_s8, anything else (grouped, a weight zero point, depthwise with a
 *   multiplier), over an int16 patch.
 */
export function convVariant(node: Node, graph: Graph): '1x1' | 'depthwise' | 'dense' | 'general' {
  const w = tensorOf(graph, node.inputs[1]!);
  if (!(w.quant?.zeroPoint ?? [0]).every((z) => z === 0)) return 'general';
  const [kh, kw] = node.attrs.kernel_shape as number[];
  const group = node.attrs.group as number;
  if (kh === 1 && kw === 1 && group === 1 && (node.attrs.pads as number[]).every((v) => v === 0)) return '1x1';
  // Depthwise weights are [1][k_h][k_w][out_c]; multiplier 1 when out_c is the group count.
  if (isDepthwise(node, graph) && w.shape[3] === group) return 'depthwise';
  return group === 1 ? 'dense' : 'general';
}

/**
 * Layers that may run in place over their input (op.ts inPlaceResized):
 * - a pointwise layer with stride 1, whatever the channel counts (tg_conv_1x1_in_place): pixel by
 *   pixel (pairs on DSP cores) into 2 * out_c bytes of scratch, forward, the input placed at the
 *   start of the output's memory when it narrows and at the end when it widens (the planner's tie);
 * - a depthwise or dense layer over one image (tg_conv_dw_in_place, tg_conv_dense_in_place): row
 *   by row into a ring of ringRows rows after the dense kernel's patch, each row copied out once
 *   the input rows under it are dead; the input sits `lead` bytes into the output's memory, the
 *   planner's tie (at least the growth out - in, so the ring sized for that is large enough).
 */
export function convInPlace(node: Node, graph: Graph): InPlaceRule | undefined {
  const variant = convVariant(node, graph);
  const [input, output] = [tensorOf(graph, node.inputs[0]!), tensorOf(graph, node.outputs[0]!)];
  if (variant === '1x1') {
    const [strideH, strideW] = node.attrs.strides as number[];
    if (strideH !== 1 || strideW !== 1) return undefined;
    const pixels = tensorBytes(output) / output.shape[3]!;
    return { input: 0, scratchBytes: 2 * output.shape[3]!, extraInstructions: copyInstructions(tensorBytes(output), Math.ceil(pixels / 2)) };
  }
  if ((variant === 'depthwise' || variant === 'dense') && input.shape[0] === 1) {
    const g = windowGeometry(node, input.shape, output.shape);
    return { input: 0, scratchBytes: inPlaceRingRows(node, graph) * g.outW * g.outC, extraInstructions: copyInstructions(tensorBytes(output), g.outH) };
  }
  return undefined;
}

/** The ring rows of a depthwise or dense layer in place (the emitter passes the same count). */
export function inPlaceRingRows(node: Node, graph: Graph): number {
  const [input, output] = [tensorOf(graph, node.inputs[0]!), tensorOf(graph, node.outputs[0]!)];
  return ringRows(windowGeometry(node, input.shape, output.shape), Math.max(0, tensorBytes(output) - tensorBytes(input)));
}

/**
 * The most output rows that wait in an in-place kernel's ring at once, with the input `lead` bytes
 * into the output's memory: after computing row oy the kernel copies out, in order, each row whose
 * bytes lie below input row (oy + 1) stride_h - pad_top, the first that a later row reads. A
 * larger lead only frees rows sooner.
 */
export function ringRows(g: WindowGeometry, lead: number): number {
  let next = 0;
  let most = 1;
  for (let oy = 0; oy < g.outH; oy++) {
    most = Math.max(most, oy - next + 1);
    const dead = lead + ((oy + 1) * g.strideH - g.padTop) * g.inW * g.inC;
    while (next <= oy && (next + 1) * g.outW * g.outC <= dead) next++;
  }
  return most;
}

/** An estimate of what copying `bytes` in `calls` memcpy calls costs: a word loaded and stored per 4 bytes, and a dozen instructions a call. */
function copyInstructions(bytes: number, calls: number): number {
  return 2 * Math.ceil(bytes / 4) + 12 * calls;
}

/**
 * Scratch for the kernel's gathered input patch: one int16 per tap of a filter (k_h * k_w * in_c /
 * group) for the general kernel, or two int8 patches (a pair of pixels) for the dense one, the same
 * bytes; none for pointwise and depthwise layers, which read the input directly.
 */
export function convPatchBytes(node: Node, graph: Graph): number {
  const w = tensorOf(graph, node.inputs[1]!).shape;
  return isDepthwise(node, graph) || convVariant(node, graph) === '1x1' ? 0 : (w.reduce((a, b) => a * b, 1) / w[0]!) * 2;
}
