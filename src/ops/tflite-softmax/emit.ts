import type { Graph } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { emitSoftmaxTflite } from '../qlinear-softmax/emit.ts';
import type { TfliteSoftmaxParams } from './definition.ts';

export function emitTfliteSoftmax(node: PreparedNode<TfliteSoftmaxParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const x = ctx.pointer(node.inputs[0]!);
  const y = ctx.pointer(node.outputs[0]!);
  if ('dtype' in p) {
    const params = ctx.constStruct('softmax_s16', 'tg_softmax_tflite_s16_t', `{ ${[p.outer, p.length, p.input.multiplier, p.input.shift].join(', ')} }`);
    return `tg_softmax_tflite_s16(&${params}, ${x}, ${y});`;
  }
  return emitSoftmaxTflite(p, x, y, ctx, tensorOf(graph, node.outputs[0]!).dtype === 'int16');
}
