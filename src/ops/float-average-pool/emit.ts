import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { floatOperand } from '../common/float-operands.ts';
import { floatPoolInitializer } from '../common/float-window.ts';
import type { FloatAveragePoolParams } from './definition.ts';

export function emitFloatAveragePool(node: PreparedNode<FloatAveragePoolParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const params = ctx.constStruct('pool', 'tg_float_pool_t', floatPoolInitializer(p, p.countIncludePad));
  return `tg_float_avgpool_f32(&${params}, ${floatOperand(ctx, graph, node.inputs[0]!, 'x')}, ${ctx.pointer(node.outputs[0]!)});`;
}
