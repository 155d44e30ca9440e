/**
 * The 'qdq' form of the view ops (Identity, Flatten, Reshape, Transpose, Squeeze, Unsqueeze):
 * DequantizeLinear → view → QuantizeLinear. With the same type and quantization on both sides
 * the bytes do not change and it stays a view (free when the planner lets it alias); otherwise
 * each value is requantized through a 256-entry table (src/ops/common/requant-table.ts).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { CompileOptions, EmitContext, OutputInfo, PreparedNode, Value } from '../op.ts';
import { emitView, referenceView, viewOutput } from './view.ts';
import { outputValue } from './values.ts';
import { requantTable, sameRepresentation } from './requant-table.ts';

/** A view's output: the input's type and quantization, or, in the 'qdq' form, the QuantizeLinear's. */
export function viewInfo(graph: Graph, node: Node, shape: number[]): OutputInfo[] {
  return node.attrs.qdq ? [{ shape }] : viewOutput(graph, node, shape);
}

/** Same bytes in and out (always, in the plain form): the planner may alias it. */
export function isView(node: Node, graph: Graph): boolean {
  return !node.attrs.qdq || sameRepresentation(graph, node.inputs[0]!, node.outputs[0]!);
}

export interface ViewParams {
  /** Present when the output is quantized unlike the input. */
  table?: Int8Array;
}

export function prepareView(node: Node, graph: Graph, options: CompileOptions): ViewParams {
  const params: ViewParams = {};
  if (!isView(node, graph)) {
    const x = tensorOf(graph, node.inputs[0]!);
    const y = tensorOf(graph, node.outputs[0]!);
    if (x.dtype !== 'int8' || y.dtype !== 'int8') throw new UserError(`node '${node.name}' (${node.op}): cannot requantize ${x.dtype} to ${y.dtype}`);
    params.table = requantTable(options.rounding, node, x.quant, y.quant);
  }
  return params;
}

/** Applies a requantization table to int8 values. */
export function applyTable(table: Int8Array, x: Value, out: Value): Value {
  const input = x.data as Int8Array;
  for (let i = 0; i < input.length; i++) out.data[i] = table[input[i]! + 128]!;
  return out;
}

export function referenceQdqView(node: PreparedNode<ViewParams>, inputs: Value[], graph: Graph): Value[] {
  const table = node.params.table;
  return table ? [applyTable(table, inputs[0]!, outputValue(graph, node))] : referenceView(node, inputs, graph);
}

export function emitQdqView(node: PreparedNode<ViewParams>, graph: Graph, ctx: EmitContext): string {
  const table = node.params.table;
  if (!table) return emitView(node, graph, ctx);
  const count = elementCount(tensorOf(graph, node.outputs[0]!).shape);
  return `tg_requant_copy_s8(${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count}, ${ctx.constArray('table', 'int8_t', table)});`;
}
