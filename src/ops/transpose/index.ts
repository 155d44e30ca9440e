/**
 * Transpose: permutes axes. The ONNX frontend and the layout pass put it between NCHW and NHWC; when only
 * size-1 axes move, the bytes do not change and it is a view.
 */
import { dtypeBytes, elementCount, tensorOf } from '../../ir/graph.ts';
import type { Graph, Node } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { defineOp, type Value } from '../op.ts';
import { allocate, outputValue } from '../common/values.ts';
import { emitView } from '../common/view.ts';
import { applyTable, isView, prepareView } from '../common/qdq-view.ts';
import { emitAxisMap, transposeAxisMap } from '../common/axis-map.ts';

function perm(node: Node): number[] {
  return node.attrs.perm as number[];
}

/** Stride of each input axis, in elements. */
function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  return strides;
}

function isPureReshape(node: Node, graph: Graph): boolean {
  const shape = tensorOf(graph, node.inputs[0]!).shape;
  const moved = perm(node).filter((axis) => shape[axis] !== 1);
  return moved.every((axis, i) => i === 0 || axis > moved[i - 1]!);
}

export const transpose = defineOp({
  op: 'Transpose',
  summary: 'axis permutation; free when only size-1 axes move',
  layout: 'fixed',
  view: (node, graph) => isPureReshape(node, graph) && isView(node, graph),
  infer(node, graph) {
    const x = tensorOf(graph, node.inputs[0]!);
    if (node.attrs.perm === undefined) node.attrs.perm = x.shape.map((_, i) => x.shape.length - 1 - i);
    const p = perm(node);
    // The ONNX frontend's Transpose in front of an NHWC op (attrs.layout_of) is where that op's input rank shows.
    if (node.attrs.layout_of !== undefined && p.length !== x.shape.length) {
      throw new UserError(`${String(node.attrs.layout_of)}: input must be 4-D NCHW, got [${x.shape}]`);
    }
    if (p.length !== x.shape.length || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
      throw new UserError(`node '${node.name}' (Transpose): perm [${p}] is not a permutation of rank ${x.shape.length}`);
    }
    if (p.length > 6) throw new UserError(`node '${node.name}' (Transpose): rank ${p.length} is above the supported 6`);
    const shape = p.map((a) => x.shape[a]!);
    return node.attrs.qdq ? [{ shape }] : [{ shape, dtype: x.dtype, quant: x.quant }];
  },
  prepare: prepareView,
  reference(node, [x], graph): Value[] {
    const outShape = tensorOf(graph, node.outputs[0]!).shape;
    const inStrides = stridesOf(x!.shape);
    const strides = perm(node).map((a) => inStrides[a]!);
    const out = allocate(x!.dtype, elementCount(outShape));
    const index = new Array<number>(outShape.length).fill(0);
    for (let i = 0; i < out.length; i++) {
      let offset = 0;
      for (let d = 0; d < outShape.length; d++) offset += index[d]! * strides[d]!;
      (out as Int8Array)[i] = (x!.data as Int8Array)[offset]!;
      for (let d = outShape.length - 1; d >= 0 && ++index[d]! === outShape[d]; d--) index[d] = 0;
    }
    const moved = { dtype: x!.dtype, shape: [...outShape], data: out };
    // A requantization table, when the 'qdq' form's output is quantized unlike its input.
    const table = node.params.table;
    return [table ? applyTable(table, moved, outputValue(graph, node)) : moved];
  },
  emit(node, graph, ctx) {
    const x = tensorOf(graph, node.inputs[0]!);
    const table = node.params.table;
    if (table) return emitAxisMap(ctx, { ...transposeAxisMap(x.shape, perm(node)), table }, 'int8', ctx.pointer(x.name), ctx.pointer(node.outputs[0]!));
    if (isPureReshape(node, graph)) return emitView(node, graph, ctx);
    const outShape = tensorOf(graph, node.outputs[0]!).shape;
    const inStrides = stridesOf(x.shape);
    const pad = (values: number[]) => `{ ${[...values, 0, 0, 0, 0, 0, 0].slice(0, 6).join(', ')} }`;
    const elementBytes = dtypeBytes(x.dtype);
    const params = ctx.constStruct('transpose', 'tg_transpose_t', `{ ${outShape.length}, ${elementBytes}, ${pad(outShape)}, ${pad(perm(node).map((a) => inStrides[a]!))} }`);
    return `tg_transpose(&${params}, ${ctx.pointer(x.name)}, ${ctx.pointer(node.outputs[0]!)});`;
  },
});
