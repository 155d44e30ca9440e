import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import type { SoftmaxTfliteParams } from '../qlinear-softmax/definition.ts';
import { emitSoftmaxTflite } from '../qlinear-softmax/emit.ts';

export function emitTfliteSoftmax(node: PreparedNode<SoftmaxTfliteParams>, _graph: Graph, ctx: EmitContext): string {
  return emitSoftmaxTflite(node.params, ctx.pointer(node.inputs[0]!), ctx.pointer(node.outputs[0]!), ctx);
}
