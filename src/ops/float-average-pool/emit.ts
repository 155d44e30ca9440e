import type { Graph, Node } from '../../ir/graph.ts';
import type { EmitContext } from '../op.ts';
import { floatOperand } from '../common/float-operands.ts';
import { floatPoolInitializer } from '../common/float-window.ts';
import type { FloatAveragePoolParams } from './definition.ts';

export function emitFloatAveragePool(node: Node, graph: Graph, ctx: EmitContext): string {
  const p = node.params as FloatAveragePoolParams;
  const params = ctx.constStruct('pool', 'tg_float_pool_t', floatPoolInitializer(p, p.countIncludePad));
  return `tg_float_avgpool_f32(&${params}, ${floatOperand(ctx, graph, node.inputs[0]!, 'x')}, ${ctx.pointer(node.outputs[0]!)});`;
}
