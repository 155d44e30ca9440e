import type { Graph } from '../../ir/graph.ts';
import { isConstant, tensorOf } from '../../ir/graph.ts';
import { CTYPE_OF, type EmitContext, type PreparedNode } from '../op.ts';
import { constantData } from '../common/values.ts';
import type { ConcatParams } from './definition.ts';

export function emitQLinearConcat(node: PreparedNode<ConcatParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const inputs = node.inputs.map((n) => (isConstant(graph, n) ? ctx.constArray('constant_input', CTYPE_OF[tensorOf(graph, n).dtype], constantData(graph, n) as ArrayLike<number>) : ctx.pointer(n)));
  const rowBytes = ctx.constArray('row_bytes', 'int32_t', p.rowBytes);
  let t = 0;
  const tableIndex = ctx.constArray('table_index', 'int32_t', p.tables.map((table) => (table ? t++ : -1)));
  const used = p.tables.filter((table): table is Int8Array => table !== undefined);
  const tables = used.length > 0 ? ctx.constArray('tables', 'int8_t', used.flatMap((table) => Array.from(table))) : 'NULL';
  const params = ctx.constStruct('concat', 'tg_concat_t', `{ ${node.inputs.length}, ${p.outer}, ${p.outRowBytes}, ${rowBytes}, ${tableIndex}, ${tables} }`);
  return `tg_concat(&${params}, (const void *const[]){ ${inputs.join(', ')} }, ${ctx.pointer(node.outputs[0]!)});`;
}
