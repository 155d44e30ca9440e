import type { Graph } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import type { TfliteLeakyReluParams } from './definition.ts';

export function emitTfliteLeakyRelu(node: PreparedNode<TfliteLeakyReluParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const fields = [p.inputZeroPoint, p.outputZeroPoint, p.identity.multiplier, p.identity.shift, p.alpha.multiplier, p.alpha.shift];
  const params = ctx.constStruct('leaky_relu', 'tg_tflite_leaky_relu_t', `{ ${fields.join(', ')} }`);
  const y = tensorOf(graph, node.outputs[0]!);
  const count = elementCount(y.shape);
  return `tg_tflite_leaky_relu_${y.dtype === 'int16' ? 's16' : 's8'}(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count});`;
}
