/**
 * FloatConv: ONNX Conv on float32 NCHW tensors over 1, 2 or 3 spatial axes, with group, an
 * optional bias, pads, strides, dilations and auto_pad. In the IR the inputs are [X, W, B?]
 * (W [M, C / group, k...], B [M]); W and B may be constants or runtime tensors. The kernel works
 * on 3 spatial axes: a 1-D or 2-D convolution is the 3-D one with leading axes of size 1.
 * Evaluation order, per output: bias (or 0), then every tap inside the input, input channel
 * ascending, then kernel depth, row and column ascending (padding taps are skipped).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import { requireFloat } from '../common/float-operands.ts';

export const MAX_SPATIAL = 3;

export interface FloatConvParams {
  batch: number;
  inC: number;
  outC: number;
  groups: number;
  /** Each [depth, height, width], padded with leading 1s (strides and dilations 1, pads 0). */
  inSize: number[];
  outSize: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  padBegin: number[];
}

/** Checks the node against its input shapes and resolves its geometry (auto_pad into explicit pads). */
function geometry(node: Node, graph: Graph): FloatConvParams & { outShape: number[] } {
  const x = tensorOf(graph, node.inputs[0]!).shape;
  const w = tensorOf(graph, node.inputs[1]!).shape;
  const fail = (why: string): never => {
    throw new UserError(`node '${node.name}' (FloatConv): X [${x}], W [${w}]: ${why}`);
  };
  const rank = x.length - 2;
  if (rank < 1 || rank > MAX_SPATIAL) fail(`only 1-D, 2-D and 3-D convolutions are supported (X must have rank 3 to 5)`);
  if (w.length !== x.length) fail('W must have the rank of X');
  const list = (name: string, fallback: number[], length: number): number[] => {
    const v = (node.attrs[name] as number[] | undefined) ?? fallback;
    if (v.length !== length) fail(`${name} [${v}] must have ${length} values`);
    return v;
  };
  const kernel = list('kernel_shape', w.slice(2), rank);
  if (kernel.some((k, i) => k !== w[i + 2])) fail(`kernel_shape [${kernel}] does not match W`);
  const strides = list('strides', new Array<number>(rank).fill(1), rank);
  const dilations = list('dilations', new Array<number>(rank).fill(1), rank);
  let pads = list('pads', new Array<number>(2 * rank).fill(0), 2 * rank);
  if ([...strides, ...dilations].some((v) => v < 1) || pads.some((v) => v < 0)) fail('strides and dilations must be >= 1 and pads >= 0');
  const [n, c] = x as [number, number];
  const [m, cPerGroup] = w as [number, number];
  const groups = node.attrs.group as number;
  if (groups < 1 || c % groups !== 0 || m % groups !== 0 || cPerGroup * groups !== c) {
    fail(`group ${groups} does not fit ${c} input and ${m} output channels`);
  }
  const bias = node.inputs[2];
  if (bias) {
    const shape = tensorOf(graph, bias).shape;
    if (shape.length !== 1 || shape[0] !== m) fail(`B [${shape}] must be [${m}]`);
  }
  const input = x.slice(2);
  const autoPad = node.attrs.auto_pad as string;
  if (autoPad === 'VALID') pads = new Array<number>(2 * rank).fill(0);
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    pads = new Array<number>(2 * rank).fill(0);
    for (let d = 0; d < rank; d++) {
      const out = Math.ceil(input[d]! / strides[d]!);
      const total = Math.max(0, (out - 1) * strides[d]! + dilations[d]! * (kernel[d]! - 1) + 1 - input[d]!);
      pads[d] = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
      pads[d + rank] = total - pads[d]!;
    }
  }
  const output = input.map((size, d) => Math.floor((size + pads[d]! + pads[d + rank]! - dilations[d]! * (kernel[d]! - 1) - 1) / strides[d]!) + 1);
  if (output.some((o) => o < 1)) fail(`the kernel [${kernel}] (dilations [${dilations}], pads [${pads}]) does not fit the input`);
  const lift = (v: number[], fill: number) => [...new Array<number>(MAX_SPATIAL - rank).fill(fill), ...v];
  return {
    batch: n,
    inC: c,
    outC: m,
    groups,
    inSize: lift(input, 1),
    outSize: lift(output, 1),
    kernel: lift(kernel, 1),
    strides: lift(strides, 1),
    dilations: lift(dilations, 1),
    padBegin: lift(pads.slice(0, rank), 0),
    outShape: [n, m, ...output],
  };
}

export function inferFloatConv(node: Node, graph: Graph): OutputInfo[] {
  requireFloat(node, graph, ['X', 'W', 'B']);
  return [{ shape: geometry(node, graph).outShape, dtype: 'float32' }];
}

export function prepareFloatConv(node: Node, graph: Graph): FloatConvParams {
  const { outShape: _, ...params } = geometry(node, graph);
  return params;
}
