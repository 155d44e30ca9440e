import type { Graph } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import type { TfliteHardSwishParams } from './definition.ts';

export function emitTfliteHardSwish(node: PreparedNode<TfliteHardSwishParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const fields = [p.inputZeroPoint, p.outputZeroPoint, p.reluishMultiplier, p.reluishExponent, p.outputMultiplier, p.outputExponent];
  const params = ctx.constStruct('hard_swish', 'tg_tflite_hard_swish_t', `{ ${fields.join(', ')} }`);
  const count = elementCount(tensorOf(graph, node.outputs[0]!).shape);
  return `tg_tflite_hard_swish_s8(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count});`;
}
