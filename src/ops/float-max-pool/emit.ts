import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { floatOperand } from '../common/float-operands.ts';
import { floatPoolInitializer } from '../common/float-window.ts';
import type { FloatMaxPoolParams } from './definition.ts';

export function emitFloatMaxPool(node: PreparedNode<FloatMaxPoolParams>, graph: Graph, ctx: EmitContext): string {
  const params = ctx.constStruct('pool', 'tg_float_pool_t', floatPoolInitializer(node.params, 0));
  return `tg_float_maxpool_f32(&${params}, ${floatOperand(ctx, graph, node.inputs[0]!, 'x')}, ${ctx.pointer(node.outputs[0]!)});`;
}
