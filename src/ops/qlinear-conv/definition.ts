/**
 * QLinearConv: int8 2-D convolution with int32 bias. In the IR its inputs are [x, w, bias?];
 * scales and zero points live on the tensors. After the layout pass x and y are NHWC and w is
 * [out_c][k_h][k_w][in_c / group]. A 1-D convolution ([N, C, L] input, [M, C / group, k]
 * weight) is the 2-D one over [1, L] (see importWindowAttrs); the lift-1d pass gives its
 * activations the 4-D shape [N, C, 1, L] before the layout pass.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { makeRequant, type Requant } from '../../numerics/requantize.ts';
import type { CompileOptions, OutputInfo } from '../op.ts';
import { resolveWindow, windowGeometry, windowInputHW, windowOutputShape, type WindowGeometry } from '../common/window.ts';
import { activationRange } from '../common/activation.ts';
import { perChannel, perTensorZeroPoint, quantOf, requireDtype } from '../common/values.ts';

export interface ConvParams {
  geometry: WindowGeometry;
  groups: number;
  inZeroPoint: number;
  weightZeroPoints: number[];
  requant: Requant;
}

export function inferQLinearConv(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  const w = tensorOf(graph, node.inputs[1]!);
  requireDtype(node, x, ['int8', 'uint8'], 'input');
  requireDtype(node, w, ['int8', 'uint8'], 'weight');
  const [h, wd] = windowInputHW(node, x.shape);
  if (w.shape.length !== x.shape.length) throw new UserError(`node '${node.name}' (QLinearConv): weight [${w.shape}] does not match input [${x.shape}]`);
  const group = node.attrs.group as number;
  const [n, c] = x.shape as [number, number];
  const [m, cPerGroup] = w.shape as [number, number];
  if (group < 1 || c % group !== 0 || m % group !== 0 || cPerGroup * group !== c) {
    throw new UserError(`node '${node.name}' (QLinearConv): group ${group} does not fit ${c} input and ${m} output channels (weight [${w.shape}])`);
  }
  if ((node.attrs.kernel_shape as number[]).reduce((a, b) => a * b, 1) * m * cPerGroup !== w.shape.reduce((a, b) => a * b, 1)) {
    throw new UserError(`node '${node.name}' (QLinearConv): kernel_shape [${node.attrs.kernel_shape}] does not match the weight [${w.shape}]`);
  }
  const bias = node.inputs[2];
  if (bias && tensorOf(graph, bias).shape.reduce((a, b) => a * b, 1) !== m) {
    throw new UserError(`node '${node.name}' (QLinearConv): bias must hold ${m} values`);
  }
  const { outputHW } = resolveWindow(node, [h, wd]);
  return [{ shape: windowOutputShape(node, n, m, outputHW) }];
}

/** OIHW → OHWI, once, at compile time (a 1-D weight OIK is OI1K). */
export function convToNhwc(node: Node, graph: Graph): void {
  const w = tensorOf(graph, node.inputs[1]!);
  const [o, i, kh, kw] = (w.shape.length === 3 ? [w.shape[0], w.shape[1], 1, w.shape[2]] : w.shape) as [number, number, number, number];
  const src = w.data as Int8Array;
  const dst = new Int8Array(src.length);
  for (let oc = 0; oc < o; oc++)
    for (let ic = 0; ic < i; ic++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) dst[((oc * kh + y) * kw + x) * i + ic] = src[((oc * i + ic) * kh + y) * kw + x]!;
  graph.tensors.set(w.name, { ...w, shape: [o, kh, kw, i], data: dst });
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
    requant: makeRequant(options.rounding, xQuant.scale[0]!, wQuant.scale, yQuant.scale[0]!, perTensorZeroPoint(graph, node, y.name, 'output'), ...activationRange(node, graph)),
  };
  return params;
}

/** One input channel per group, several groups: the kernel's depthwise path, which needs no patch. */
export function isDepthwise(node: Node, graph: Graph): boolean {
  const w = tensorOf(graph, node.inputs[1]!).shape;
  return w[w.length - 1] === 1 && (node.attrs.group as number) > 1;
}

/**
 * Scratch for the kernel's gathered input patch: one int16 per tap of a filter (k_h * k_w * in_c /
 * group); none for depthwise layers, which read the input directly. The weight is OHWI by now.
 */
export function convPatchBytes(node: Node, graph: Graph): number {
  const w = tensorOf(graph, node.inputs[1]!).shape;
  return isDepthwise(node, graph) ? 0 : (w.reduce((a, b) => a * b, 1) / w[0]!) * 2;
}
