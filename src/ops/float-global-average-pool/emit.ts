import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { floatOperand } from '../common/float-operands.ts';
import type { FloatGlobalPoolParams } from './definition.ts';

/** One call of a global pool kernel: (x, y, planes, plane_size). */
export function emitFloatGlobalPool(kernel: string) {
  return (node: PreparedNode<FloatGlobalPoolParams>, graph: Graph, ctx: EmitContext): string => {
    const p = node.params;
    return `${kernel}(${floatOperand(ctx, graph, node.inputs[0]!, 'x')}, ${ctx.pointer(node.outputs[0]!)}, ${p.planes}, ${p.planeSize});`;
  };
}

export const emitFloatGlobalAveragePool = emitFloatGlobalPool('tg_float_global_avgpool_f32');
