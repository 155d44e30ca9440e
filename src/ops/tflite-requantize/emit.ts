import type { Graph } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import type { TfliteRequantizeParams } from './definition.ts';

const SUFFIX: Record<string, string> = { int8: 's8', int16: 's16', int32: 's32' };

/** tg_requantize_<in>_<out>: one function per pair of types. */
export function emitTfliteRequantize(node: PreparedNode<TfliteRequantizeParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const [x, y] = [tensorOf(graph, node.inputs[0]!), tensorOf(graph, node.outputs[0]!)];
  const params = ctx.constStruct('requantize', 'tg_requantize_t', `{ ${p.inputZeroPoint}, ${p.outputZeroPoint}, ${p.multiplier.multiplier}, ${p.multiplier.shift} }`);
  return `tg_requantize_${SUFFIX[x.dtype]}_${SUFFIX[y.dtype]}(&${params}, ${ctx.pointer(x.name)}, ${ctx.pointer(y.name)}, ${elementCount(y.shape)});`;
}
