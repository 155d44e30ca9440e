/**
 * One C statement per node: which kernel variant (tg_<op>_<variant>_<type>_<isa>, see DESIGN.md),
 * with which constants. A parameter struct is a file-scope const with a designated initializer, so
 * a reader of the generated C sees the names. The kernel (firmware/kernels/tg_my_op.c, declared in
 * firmware/kernels/tinygen_kernels.h) does not exist: write it when you copy this folder.
 */
import type { Graph } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import type { MyOpParams } from './definition.ts';

export function emitMyOp(node: PreparedNode<MyOpParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const params = ctx.constStruct(
    'my_op',
    'tg_my_op_t',
    `{ .input_zero_point = ${p.inputZeroPoint}, .output_zero_point = ${p.outputZeroPoint}, .multiplier = ${p.multiplier.multiplier}, .shift = ${p.multiplier.shift} }`,
  );
  const count = elementCount(tensorOf(graph, node.outputs[0]!).shape);
  return `tg_my_op_s8_c(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count});`;
}
