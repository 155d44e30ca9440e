/**
 * QLinearReduceMean: DequantizeLinear → ReduceMean → QuantizeLinear as one int8 op. The mean of a
 * 4-D tensor over H and W (global pooling written as ReduceMean) runs on NHWC; other axes run in
 * the model's own order.
 *
 * - 'onnx': ONNX Runtime does not fuse this pattern: it dequantizes (fround((x - zx) * sx)),
 *   averages in float32 and quantizes (round half to even of fround(mean / sy), plus zy). The
 *   order of the float sum is ORT's, which depends on how its ReduceMean kernel dispatches: it
 *   merges adjacent axes that are both kept (K) or both reduced (R), size-1 axes included, and:
 *     R        (everything reduced) Eigen's vectorized sum of the whole buffer;
 *     KR       Eigen's vectorized sum of each row: two 4-lane packets of partial sums, lanes
 *              combined (l0 + l2) + (l1 + l3), then the row's elements before the first 16-byte
 *              boundary of ORT's (64-byte aligned) buffer, then the tail;
 *     KRK      with an outer size of at least 2: blocks of 4 summed left to right, each added to
 *              the running sum, then a pair, then one (MLAS);
 *     RKR      with a middle size of at least 2: each inner run as in KR, added in outer order;
 *     anything else (RK, short KRK and RKR, four runs or more): one running sum in row-major
 *              order of the reduced elements;
 *   then divides by the count in float32. The thresholds are those of a single intra-op thread
 *   (the oracle's setting); with more threads ORT moves some shapes between these paths.
 * - 'tflite': TFLM's integer MEAN (reference QuantizedMeanOrSum, the only int8 path of its micro
 *   kernel, whatever the axes): the integer sum of x - zx, requantized once by the Q31 multiplier
 *   of sx / sy (the float scales divided in double) with 1 / count folded in, plus zy, saturated.
 *   int16 (TFLite's 16x8 MEAN, tflite mode only) is the same kernel in TFLM (QuantizedMeanOrSum
 *   with an int32 sum), saturated to int16; its int32 sum wraps as TFLM's does.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { makeRequant, type Requant } from '../../numerics/requantize.ts';
import type { CompileOptions, LayoutKind, OutputInfo } from '../op.ts';
import { requireDtype } from '../common/values.ts';
import { perTensor, tflmMeanMultiplier } from '../common/mean.ts';

export type SumKind = 'chain' | 'eigen' | 'block4';

/** One walked axis: its size, its stride in storage, and its stride in the logical row-major order. */
export interface WalkAxis {
  dim: number;
  stride: number;
  logical: number;
}

export interface ReduceMeanParams {
  /** Kept axes, row-major: their walk is the output order. */
  kept: WalkAxis[];
  /** Reduced axes walked outside the segment, row-major. */
  outer: WalkAxis[];
  segLen: number;
  segStride: number;
  segKind: SumKind;
  count: number;
  mode: 'onnx' | 'tflite';
  inScale: number;
  inZeroPoint: number;
  outScale: number;
  /** zero point and range; tflite: the Q31 multiplier of sx / sy / count (tflmMeanMultiplier). */
  requant: Requant;
}

export const MAX_REDUCE_RANK = 6;

/** The reduced axes, normalized and sorted (empty with noop_with_empty_axes: nothing is reduced). */
function reducedAxes(node: Node, rank: number): number[] {
  const axes = node.attrs.axes as number[];
  if (axes.length === 0) return node.attrs.noop_with_empty_axes === 1 ? [] : [...Array(rank).keys()];
  const normalized = axes.map((a) => (a < 0 ? a + rank : a));
  if (normalized.some((a) => a < 0 || a >= rank)) throw new UserError(`node '${node.name}' (${node.op}): axes [${axes}] out of range for rank ${rank}`);
  if (new Set(normalized).size !== normalized.length) throw new UserError(`node '${node.name}' (${node.op}): axes [${axes}] repeat an axis`);
  return normalized.sort((a, b) => a - b);
}

export function inferQLinearReduceMean(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['int8', 'uint8', 'int16'], 'input');
  const y = tensorOf(graph, node.outputs[0]!);
  if (x.dtype === 'int16' || y.dtype === 'int16') {
    requireDtype(node, x, ['int16'], 'input');
    requireDtype(node, y, ['int16'], 'output');
  }
  const rank = x.shape.length;
  if (rank < 1 || rank > MAX_REDUCE_RANK) throw new UserError(`node '${node.name}' (${node.op}): input rank ${rank} is not supported (1 to ${MAX_REDUCE_RANK})`);
  const reduced = reducedAxes(node, rank);
  const keep = node.attrs.keepdims === 1;
  return [{ shape: x.shape.flatMap((d, i) => (reduced.includes(i) ? (keep ? [1] : []) : [d])) }];
}

/** H and W of a 4-D NCHW tensor run on NHWC; anything else in the model's own order. */
export const reduceMeanLayout = (node: Node, graph: Graph): LayoutKind => {
  const rank = tensorOf(graph, node.inputs[0]!).shape.length;
  const reduced = reducedAxes(node, rank);
  return rank === 4 && reduced.length === 2 && reduced[0] === 2 && reduced[1] === 3 ? 'permutable' : 'fixed';
};

export function reduceMeanToNhwc(node: Node): void {
  node.attrs.nhwc = 1;
}

/** Merges adjacent axes that are contiguous in both storage and logical order. */
function merge(axes: WalkAxis[]): WalkAxis[] {
  const out: WalkAxis[] = [];
  for (const a of axes) {
    const last = out[out.length - 1];
    if (last && last.stride === a.stride * a.dim && last.logical === a.logical * a.dim) {
      out[out.length - 1] = { dim: last.dim * a.dim, stride: a.stride, logical: a.logical };
    } else out.push({ ...a });
  }
  return out;
}

export function prepareQLinearReduceMean(node: Node, graph: Graph, options: CompileOptions): ReduceMeanParams {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  const int16 = x.dtype === 'int16';
  if (int16 && options.rounding !== 'tflite') throw new UserError(`node '${node.name}' (${node.op}): int16 mean is TFLite's 16x8 MEAN and needs --rounding tflite`);
  const reduced = reducedAxes(node, x.shape.length);
  // The logical (model-order) shape and each logical axis's stride in storage.
  const nhwc = node.attrs.nhwc === 1;
  const shape = nhwc ? [x.shape[0]!, x.shape[3]!, x.shape[1]!, x.shape[2]!] : [...x.shape];
  const logical = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const storage = nhwc ? [shape[1]! * shape[2]! * shape[3]!, 1, shape[3]! * shape[1]!, shape[1]!] : logical;
  const axes = shape.map((dim, i) => ({ dim, stride: storage[i]!, logical: logical[i]!, reduced: reduced.includes(i) }));
  const walked = (list: typeof axes) => merge(list.filter((a) => a.dim > 1).map(({ dim, stride, logical }) => ({ dim, stride, logical })));
  const kept = walked(axes.filter((a) => !a.reduced));
  const count = axes.filter((a) => a.reduced).reduce((p, a) => p * a.dim, 1);
  // ONNX Runtime's view of the reduction: adjacent axes with the same role merge (size-1 axes count).
  const runs: { reduced: boolean; size: number; axes: typeof axes }[] = [];
  for (const a of axes) {
    const last = runs[runs.length - 1];
    if (last && last.reduced === a.reduced) {
      last.size *= a.dim;
      last.axes.push(a);
    } else runs.push({ reduced: a.reduced, size: a.dim, axes: [a] });
  }
  const pattern = runs.map((r) => (r.reduced ? 'R' : 'K')).join('');
  let outer: WalkAxis[] = walked(axes.filter((a) => a.reduced));
  let seg: WalkAxis = { dim: 1, stride: 0, logical: 0 };
  let segKind: SumKind = 'chain';
  const segment = (run: (typeof runs)[number]): WalkAxis => {
    const m = walked(run.axes);
    if (m.length > 1) throw new Error(`internal: a reduced run of node '${node.name}' is not contiguous`);
    return m[0] ?? { dim: 1, stride: 0, logical: 0 };
  };
  // The thresholds are ONNX Runtime's for one intra-op thread (more threads move them).
  if (options.rounding === 'onnx') {
    if (pattern === 'R' || pattern === 'KR') {
      [seg, outer, segKind] = [segment(runs[runs.length - 1]!), [], 'eigen'];
    } else if (pattern === 'KRK' && runs[0]!.size >= 2) {
      [seg, outer, segKind] = [segment(runs[1]!), [], 'block4'];
    } else if (pattern === 'RKR' && runs[1]!.size >= 2) {
      [seg, outer, segKind] = [segment(runs[2]!), walked(runs[0]!.axes), 'eigen'];
    }
  }
  const xq = perTensor(graph, node, x.name, 'input');
  const yq = perTensor(graph, node, y.name, 'output');
  let requant: Requant;
  if (options.rounding === 'onnx') {
    requant = { mode: 'onnx', multipliers: [1], zeroPoint: yq.zeroPoint, min: -128, max: 127 };
  } else {
    const rq = int16 ? makeRequant('tflite', xq.scale, [1], yq.scale, yq.zeroPoint, -32768, 32767) : makeRequant('tflite', xq.scale, [1], yq.scale, yq.zeroPoint);
    if (rq.mode !== 'tflite') throw new Error('internal: tflite requantization expected');
    requant = { ...rq, multipliers: rq.multipliers.map((m) => tflmMeanMultiplier(m, count)) };
  }
  const params: ReduceMeanParams = {
    kept,
    outer,
    segLen: seg.dim,
    segStride: seg.stride,
    segKind,
    count,
    mode: options.rounding,
    inScale: xq.scale,
    inZeroPoint: xq.zeroPoint,
    outScale: yq.scale,
    requant,
  };
  return params;
}
