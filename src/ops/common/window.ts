/** Geometry shared by windowed ops (conv, pools): output sizes, auto_pad, and NHWC parameters. */
import { UserError } from '../../errors.ts';
import type { Node } from '../../ir/graph.ts';

export interface Window2d {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** [top, left, bottom, right] */
  pads: [number, number, number, number];
  ceilMode: boolean;
}

/** The spatial size [H, W] of a windowed node's NHWC input; any other rank is the user's error. */
export function nhwcWindowInputHW(node: Node, shape: readonly number[]): [number, number] {
  if (shape.length !== 4) throw new UserError(`node '${node.name}' (${node.op}): input must be 4-D NHWC, got [${shape}]`);
  return [shape[1]!, shape[2]!];
}

/**
 * Checks a convolution's weight against its NHWC input and group, and returns its output channels.
 * The weight is [out_c][k_h][k_w][in_c / group], or [1][k_h][k_w][out_c] for a depthwise layer
 * (`depthwise`: one input channel per group).
 */
export function convWeightDims(node: Node, x: readonly number[], w: readonly number[], depthwise: boolean): { outC: number } {
  const group = node.attrs.group as number;
  const c = x[3]!;
  if (w.length !== 4) throw new UserError(`node '${node.name}' (${node.op}): weight [${w}] must be 4-D`);
  const [outC, kH, kW, inPerGroup] = depthwise ? [w[3]!, w[1]!, w[2]!, 1] : [w[0]!, w[1]!, w[2]!, w[3]!];
  if (!Number.isInteger(group) || group < 1 || c % group !== 0 || outC % group !== 0 || inPerGroup * group !== c) {
    throw new UserError(`node '${node.name}' (${node.op}): group ${group} does not fit ${c} input and ${outC} output channels (weight [${w}])`);
  }
  const kernel = node.attrs.kernel_shape as number[];
  if (kernel.length !== 2 || kernel[0] !== kH || kernel[1] !== kW) {
    throw new UserError(`node '${node.name}' (${node.op}): kernel_shape [${kernel}] does not match the weight [${w}]`);
  }
  return { outC };
}

function outputSize(input: number, kernel: number, stride: number, dilation: number, padSum: number, ceil: boolean, padBegin: number): number {
  const span = dilation * (kernel - 1) + 1;
  const numerator = input + padSum - span;
  if (numerator < 0) return 0;
  let out = (ceil ? Math.ceil(numerator / stride) : Math.floor(numerator / stride)) + 1;
  // ONNX drops a last window that would start inside the end padding.
  if (ceil && (out - 1) * stride >= input + padBegin) out -= 1;
  return out;
}

/**
 * Resolves auto_pad into explicit pads for the given spatial input size [H, W], writes them back
 * into the node's attributes, and returns the window with the output size.
 */
export function resolveWindow(node: Node, inputHW: [number, number]): { window: Window2d; outputHW: [number, number] } {
  const kernel = node.attrs.kernel_shape as number[];
  const strides = node.attrs.strides as number[];
  const dilations = node.attrs.dilations as number[];
  let pads = node.attrs.pads as number[];
  const autoPad = node.attrs.auto_pad as string;
  if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    pads = [0, 0, 0, 0];
    for (let d = 0; d < 2; d++) {
      const out = Math.ceil(inputHW[d]! / strides[d]!);
      const total = Math.max(0, (out - 1) * strides[d]! + dilations[d]! * (kernel[d]! - 1) + 1 - inputHW[d]!);
      const small = Math.floor(total / 2);
      pads[d] = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[d + 2] = total - pads[d]!;
    }
  }
  node.attrs.pads = pads;
  node.attrs.auto_pad = 'NOTSET';
  const ceil = node.attrs.ceil_mode === 1;
  const outputHW: [number, number] = [0, 1].map((d) =>
    outputSize(inputHW[d]!, kernel[d]!, strides[d]!, dilations[d]!, pads[d]! + pads[d + 2]!, ceil, pads[d]!),
  ) as [number, number];
  if (outputHW[0] < 1 || outputHW[1] < 1) {
    throw new UserError(`node '${node.name}' (${node.op}): the window does not fit the input [${inputHW}]`);
  }
  return {
    window: {
      kernel: [kernel[0]!, kernel[1]!],
      strides: [strides[0]!, strides[1]!],
      dilations: [dilations[0]!, dilations[1]!],
      pads: [pads[0]!, pads[1]!, pads[2]!, pads[3]!],
      ceilMode: ceil,
    },
    outputHW,
  };
}

/** The geometry a kernel needs, for an NHWC input [n, h, w, c] and output [n, oh, ow, oc]. */
export interface WindowGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
}

export function windowGeometry(node: Node, inNhwc: number[], outNhwc: number[]): WindowGeometry {
  const k = node.attrs.kernel_shape as number[];
  const s = node.attrs.strides as number[];
  const d = node.attrs.dilations as number[];
  const p = node.attrs.pads as number[];
  return {
    batch: inNhwc[0]!,
    inH: inNhwc[1]!,
    inW: inNhwc[2]!,
    inC: inNhwc[3]!,
    outH: outNhwc[1]!,
    outW: outNhwc[2]!,
    outC: outNhwc[3]!,
    kH: k[0]!,
    kW: k[1]!,
    strideH: s[0]!,
    strideW: s[1]!,
    dilH: d[0]!,
    dilW: d[1]!,
    padTop: p[0]!,
    padLeft: p[1]!,
  };
}

/** The C initializer fields of a WindowGeometry, in tg_window_t's order. */
export function windowInitializer(g: WindowGeometry): string {
  return `{ ${[g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.kH, g.kW, g.strideH, g.strideW, g.dilH, g.dilW, g.padTop, g.padLeft].join(', ')} }`;
}
