/**
 * StridedSlice (internal, from TFLite's STRIDED_SLICE): along each input axis, counts[a]
 * elements from starts[a] in steps of steps[a] (negative walks backwards); the result is then
 * viewed as attrs.shape (TFLite's shrink_axis_mask drops axes of one element). The importer
 * resolves masks and negative indices, so the op only sees in-range positions. Pure data
 * movement: the generic axis-map kernel (firmware/kernels/tg_axis_map.c).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { defineOp, type NoParams } from '../op.ts';
import { checkAxisMapRank, emitAxisMap, referenceAxisMap, stridesOf, type AxisMap } from '../common/axis-map.ts';

interface SliceAttrs {
  starts: number[];
  steps: number[];
  counts: number[];
  shape: number[];
}

function sliceAttrs(node: Node): SliceAttrs {
  const { starts, steps, counts, shape } = node.attrs as unknown as SliceAttrs;
  return { starts, steps, counts, shape };
}

function sliceAxisMap(node: Node, graph: Graph): AxisMap {
  const inShape = tensorOf(graph, node.inputs[0]!).shape;
  const strides = stridesOf(inShape);
  const { starts, steps, counts } = sliceAttrs(node);
  const offsets = counts.map((count, a) => Array.from({ length: count }, (_, i) => (starts[a]! + i * steps[a]!) * strides[a]!));
  return { outShape: [...counts], offsets, fill: 0 };
}

export const stridedSlice = defineOp<NoParams>({
  op: 'StridedSlice',
  summary: 'internal: strided slice (TFLite STRIDED_SLICE), any step sign, shrunk axes dropped',
  layout: 'fixed',
  infer(node, graph) {
    const x = tensorOf(graph, node.inputs[0]!);
    const { starts, steps, counts, shape } = sliceAttrs(node);
    const label = `node '${node.name}' (StridedSlice)`;
    checkAxisMapRank(label, x.shape.length);
    const rank = x.shape.length;
    if (starts.length !== rank || steps.length !== rank || counts.length !== rank) throw new Error(`internal: ${label} needs ${rank} starts, steps and counts`);
    x.shape.forEach((size, a) => {
      const [first, last] = [starts[a]!, starts[a]! + (counts[a]! - 1) * steps[a]!];
      if (counts[a]! < 1 || steps[a] === 0 || Math.min(first, last) < 0 || Math.max(first, last) >= size) {
        throw new UserError(`${label}: axis ${a} of size ${size} cannot give ${counts[a]} elements from ${first} in steps of ${steps[a]}`);
      }
    });
    if (elementCount(shape) !== elementCount(counts)) throw new Error(`internal: ${label} views [${counts}] as [${shape}]`);
    return [{ shape: [...shape], dtype: x.dtype, quant: x.quant }];
  },
  prepare: () => ({}),
  reference(node, [x], graph) {
    const moved = referenceAxisMap(sliceAxisMap(node, graph), x!, x!.dtype);
    return [{ ...moved, shape: [...sliceAttrs(node).shape] }];
  },
  emit(node, graph, ctx) {
    const x = tensorOf(graph, node.inputs[0]!);
    return emitAxisMap(ctx, sliceAxisMap(node, graph), x.dtype, ctx.pointer(x.name), ctx.pointer(node.outputs[0]!));
  },
});
