import type { Graph, Node } from '../../ir/graph.ts';
import type { EmitContext } from '../op.ts';
import type { SoftmaxTfliteParams } from '../qlinear-softmax/definition.ts';
import { emitSoftmaxTflite } from '../qlinear-softmax/emit.ts';

export function emitTfliteSoftmax(node: Node, _graph: Graph, ctx: EmitContext): string {
  return emitSoftmaxTflite(node.params as SoftmaxTfliteParams, ctx.pointer(node.inputs[0]!), ctx.pointer(node.outputs[0]!), ctx);
}
