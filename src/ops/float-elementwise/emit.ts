import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { broadcastInitializer } from '../common/broadcast.ts';
import { anyOperandPointer, ELEM_C } from '../common/float-values.ts';
import { BINARY_C, type FloatBinaryParams } from './definition.ts';

export function emitFloatBinary(node: PreparedNode<FloatBinaryParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const [a, b] = node.inputs as [string, string];
  const params = ctx.constStruct('binary', 'tg_float_binary_t', `{ ${broadcastInitializer(p.plan)}, ${BINARY_C[p.op]}, ${ELEM_C[p.elem]} }`);
  return `tg_float_binary(&${params}, ${anyOperandPointer(graph, ctx, a, 'a')}, ${anyOperandPointer(graph, ctx, b, 'b')}, ${ctx.pointer(node.outputs[0]!)});`;
}
