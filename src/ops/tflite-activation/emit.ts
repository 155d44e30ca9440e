import type { Graph } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import type { TflmActivation, TflmActivationParams } from './definition.ts';

export function emitTflmActivation(fn: TflmActivation): (node: PreparedNode<TflmActivationParams>, graph: Graph, ctx: EmitContext) => string {
  return (node, graph, ctx) => {
    const p = node.params;
    const fields = [p.inputZeroPoint, p.inputRangeRadius, p.inputMultiplier, p.inputLeftShift];
    const params = ctx.constStruct(fn, 'tg_tflite_activation_t', `{ ${fields.join(', ')} }`);
    const count = elementCount(tensorOf(graph, node.outputs[0]!).shape);
    return `tg_tflite_${fn}_s8(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count});`;
  };
}
