import type { Graph } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import type { LookupNodeParams } from './definition.ts';

export function emitQLinearLookup(node: PreparedNode<LookupNodeParams>, graph: Graph, ctx: EmitContext): string {
  const { table } = node.params;
  const count = elementCount(tensorOf(graph, node.outputs[0]!).shape);
  const symbol = ctx.constArray(`${node.attrs.function as string}_table`, 'int8_t', table);
  return `tg_lookup_s8(${symbol}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count});`;
}
