/** Shared parts of the view ops (Identity, Flatten, Reshape): same bytes, new shape. */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorBytes, tensorOf } from '../../ir/graph.ts';
import type { EmitContext, Value } from '../op.ts';

export function referenceView(node: Node, [x]: Value[], graph: Graph): Value[] {
  const shape = tensorOf(graph, node.outputs[0]!).shape;
  return [{ dtype: x!.dtype, shape: [...shape], data: x!.data.slice() }];
}

/** Nothing to run when the planner let the output share the input's storage; else a copy. */
export function emitView(node: Node, graph: Graph, ctx: EmitContext): string {
  if (ctx.aliased(node)) return '';
  const bytes = tensorBytes(tensorOf(graph, node.outputs[0]!));
  return `tg_copy(${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${bytes});`;
}

/** Views keep the input's type and quantization. */
export function viewOutput(graph: Graph, node: Node, shape: number[]) {
  const x = tensorOf(graph, node.inputs[0]!);
  return [{ shape, dtype: x.dtype, quant: x.quant }];
}
