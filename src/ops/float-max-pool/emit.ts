import type { Graph, Node } from '../../ir/graph.ts';
import type { EmitContext } from '../op.ts';
import { floatOperand } from '../common/float-operands.ts';
import { floatPoolInitializer } from '../common/float-window.ts';
import type { FloatMaxPoolParams } from './definition.ts';

export function emitFloatMaxPool(node: Node, graph: Graph, ctx: EmitContext): string {
  const params = ctx.constStruct('pool', 'tg_float_pool_t', floatPoolInitializer(node.params as FloatMaxPoolParams, 0));
  return `tg_float_maxpool_f32(&${params}, ${floatOperand(ctx, graph, node.inputs[0]!, 'x')}, ${ctx.pointer(node.outputs[0]!)});`;
}
