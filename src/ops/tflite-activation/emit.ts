import type { Graph } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import type { TflmActivation, TflmActivationAnyParams } from './definition.ts';

export function emitTflmActivation(fn: TflmActivation): (node: PreparedNode<TflmActivationAnyParams>, graph: Graph, ctx: EmitContext) => string {
  return (node, graph, ctx) => {
    const p = node.params;
    const count = elementCount(tensorOf(graph, node.outputs[0]!).shape);
    if ('dtype' in p) {
      const params = ctx.constStruct(`${fn}_s16`, 'tg_tflite_activation_s16_t', `{ ${p.inputMultiplier}, ${p.inputShift} }`);
      return `tg_tflite_${fn}_s16(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count});`;
    }
    const fields = [p.inputZeroPoint, p.inputRangeRadius, p.inputMultiplier, p.inputLeftShift];
    const params = ctx.constStruct(fn, 'tg_tflite_activation_t', `{ ${fields.join(', ')} }`);
    return `tg_tflite_${fn}_s8(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count});`;
  };
}
