import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import type { FloatSoftmaxParams } from './definition.ts';

export function emitFloatSoftmax(node: PreparedNode<FloatSoftmaxParams>, _graph: Graph, ctx: EmitContext): string {
  const { outer, length, inner } = node.params;
  const params = ctx.constStruct('softmax', 'tg_float_softmax_t', `{ ${outer}, ${length}, ${inner} }`);
  return `tg_float_softmax(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
