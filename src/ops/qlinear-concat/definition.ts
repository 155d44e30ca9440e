/**
 * Concatenation of int8 tensors. Three imports make the same IR op:
 * - com.microsoft QLinearConcat (Y_scale, Y_zero_point, then X, X_scale, X_zero_point per input);
 * - ONNX Concat between DequantizeLinears and a QuantizeLinear (the 'qdq' form);
 * - plain ONNX Concat, which moves bytes as they are (any element type).
 * In the first two, an input quantized unlike the output is requantized through a 256-entry
 * table (src/ops/common/requant-table.ts); one quantized like it is a plain copy. 4-D
 * concatenations run on NHWC tensors with the axis remapped, so no transposes are needed.
 */
import type { Graph, Node, Tensor } from '../../ir/graph.ts';
import { dtypeBytes, elementCount, isConstant, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { CompileOptions, LayoutKind, OutputInfo } from '../op.ts';
import { requireDtype } from '../common/values.ts';
import { requantTable, sameQuantization } from '../common/requant-table.ts';

export interface ConcatParams {
  /** Product of the dimensions before the axis. */
  outer: number;
  /** Bytes of one outer step of each input. */
  rowBytes: number[];
  outRowBytes: number;
  /** Per input: its requantization table, or undefined for a copy. */
  tables: (Int8Array | undefined)[];
}

const TO_NHWC = [0, 2, 3, 1];

function label(node: Node): string {
  return `node '${node.name}' (${node.attrs.requantize ? 'QLinearConcat' : 'Concat'})`;
}

export function inferQLinearConcat(node: Node, graph: Graph): OutputInfo[] {
  const inputs = node.inputs.map((n) => tensorOf(graph, n));
  const first = inputs[0];
  if (!first) throw new UserError(`${label(node)}: needs at least one input`);
  const rank = first.shape.length;
  const raw = node.attrs.axis as number;
  const axis = raw < 0 ? raw + rank : raw;
  if (rank === 0 || axis < 0 || axis >= rank) throw new UserError(`${label(node)}: axis ${raw} is out of range for rank ${rank}`);
  node.attrs.axis = axis;
  for (const t of inputs) {
    if (t.dtype !== first.dtype) throw new UserError(`${label(node)}: inputs mix ${first.dtype} and ${t.dtype}`);
    if (t.shape.length !== rank || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
      throw new UserError(`${label(node)}: input '${t.name}' of shape [${t.shape}] does not fit [${first.shape}] outside axis ${axis}`);
    }
  }
  const shape = [...first.shape];
  shape[axis] = inputs.reduce((sum, t) => sum + t.shape[axis]!, 0);
  if (node.attrs.requantize) {
    for (const t of inputs) requireDtype(node, t, ['int8', 'uint8'], 'input');
    requireDtype(node, tensorOf(graph, node.outputs[0]!), ['int8', 'uint8'], 'output');
    return [{ shape }];
  }
  if (first.dtype === 'int64') throw new UserError(`${label(node)}: int64 tensors are not supported`);
  const quant = inputs.every((t) => sameQuantization(t.quant, first.quant)) ? first.quant : undefined;
  return [{ shape, dtype: first.dtype, ...(quant ? { quant } : {}) }];
}

/** 4-D: NHWC whenever every input is 4-D (the axis is remapped); otherwise the model's own layout. */
export function layoutQLinearConcat(node: Node, graph: Graph): LayoutKind {
  return node.inputs.every((n) => tensorOf(graph, n).shape.length === 4) ? 'permutable' : 'fixed';
}

function permuteConstant(t: Tensor): Tensor {
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const src = t.data as Exclude<typeof t.data, undefined | BigInt64Array>;
  const dst = new (src.constructor as new (length: number) => typeof src)(src.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) dst[((b * h + y) * w + x) * c + ch] = src[((b * c + ch) * h + y) * w + x]!;
  return { ...t, shape: [n, h, w, c], data: dst };
}

/** The axis moves with its dimension; constant inputs are permuted once, here. */
export function concatToNhwc(node: Node, graph: Graph): void {
  node.attrs.axis = TO_NHWC.indexOf(node.attrs.axis as number);
  for (const name of node.inputs) {
    if (isConstant(graph, name)) graph.tensors.set(name, permuteConstant(tensorOf(graph, name)));
  }
}

export function prepareQLinearConcat(node: Node, graph: Graph, options: CompileOptions): ConcatParams {
  const axis = node.attrs.axis as number;
  const y = tensorOf(graph, node.outputs[0]!);
  const bytes = dtypeBytes(y.dtype);
  const rowBytes = node.inputs.map((n) => elementCount(tensorOf(graph, n).shape.slice(axis)) * bytes);
  const tables = node.inputs.map((n) => {
    const x = tensorOf(graph, n);
    return node.attrs.requantize && !sameQuantization(x.quant, y.quant) ? requantTable(options.rounding, node, x.quant, y.quant) : undefined;
  });
  const params: ConcatParams = { outer: elementCount(y.shape.slice(0, axis)), rowBytes, outRowBytes: elementCount(y.shape.slice(axis)) * bytes, tables };
  return params;
}
