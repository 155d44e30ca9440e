/**
 * FloatReduceMean: ONNX ReduceMean on float32 tensors of rank up to 8. The axes are the attribute
 * before opset 18 and the optional constant second input from opset 18; no axes reduce every
 * axis, or none with noop_with_empty_axes (opset 18). keepdims keeps reduced axes as size 1.
 * Per output (kept axes in row-major order): the float32 sum of the reduced elements in row-major
 * order, from -0 (the additive identity), then one float32 division by their count.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import { requireFloat } from '../common/float-operands.ts';
import { normalizeAxes } from '../common/axes.ts';

export const MAX_FLOAT_REDUCE_RANK = 8;

/** Axes walked in row-major order: sizes and element strides in the input (size-1 axes dropped, contiguous runs merged). */
export interface WalkAxes {
  dims: number[];
  strides: number[];
}

export interface FloatReduceMeanParams {
  kept: WalkAxes;
  reduced: WalkAxes;
  count: number;
}

function reducedAxes(node: Node, graph: Graph): { shape: number[]; reduced: Set<number> } {
  requireFloat(node, graph, ['data']);
  const shape = tensorOf(graph, node.inputs[0]!).shape;
  if (shape.length > MAX_FLOAT_REDUCE_RANK) throw new UserError(`node '${node.name}' (${node.op}): input rank ${shape.length} is above ${MAX_FLOAT_REDUCE_RANK}`);
  const axes = node.attrs.axes as number[];
  if (axes.length === 0) return { shape, reduced: new Set(node.attrs.noop_with_empty_axes === 1 ? [] : shape.keys()) };
  return { shape, reduced: new Set(normalizeAxes(`node '${node.name}' (${node.op})`, axes, shape.length)) };
}

export function inferFloatReduceMean(node: Node, graph: Graph): OutputInfo[] {
  const { shape, reduced } = reducedAxes(node, graph);
  const keep = node.attrs.keepdims === 1;
  return [{ shape: shape.flatMap((d, i) => (reduced.has(i) ? (keep ? [1] : []) : [d])), dtype: 'float32' }];
}

/** Row-major walk of some axes: size-1 axes dropped, an axis merged into the previous one when contiguous with it. */
function walk(axes: { dim: number; stride: number }[]): WalkAxes {
  const out: WalkAxes = { dims: [], strides: [] };
  for (const { dim, stride } of axes) {
    if (dim === 1) continue;
    const last = out.dims.length - 1;
    if (last >= 0 && out.strides[last] === stride * dim) {
      out.dims[last] = out.dims[last]! * dim;
      out.strides[last] = stride;
    } else {
      out.dims.push(dim);
      out.strides.push(stride);
    }
  }
  return out;
}

export function prepareFloatReduceMean(node: Node, graph: Graph): FloatReduceMeanParams {
  const { shape, reduced } = reducedAxes(node, graph);
  const axes = shape.map((dim, i) => ({ dim, stride: shape.slice(i + 1).reduce((a, b) => a * b, 1), reduced: reduced.has(i) }));
  return {
    kept: walk(axes.filter((a) => !a.reduced)),
    reduced: walk(axes.filter((a) => a.reduced)),
    count: axes.filter((a) => a.reduced).reduce((n, a) => n * a.dim, 1),
  } satisfies FloatReduceMeanParams;
}
