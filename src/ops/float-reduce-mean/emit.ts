import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { floatOperand } from '../common/float-operands.ts';
import { MAX_FLOAT_REDUCE_RANK, type FloatReduceMeanParams, type WalkAxes } from './definition.ts';

/** rank, { dims }, { strides }, padded to the struct's 8 entries. */
function walkInitializer(axes: WalkAxes): string {
  const pad = (v: number[]) => `{ ${[...v, ...new Array<number>(MAX_FLOAT_REDUCE_RANK - v.length).fill(0)].join(', ')} }`;
  return `${axes.dims.length}, ${pad(axes.dims)}, ${pad(axes.strides)}`;
}

export function emitFloatReduceMean(node: PreparedNode<FloatReduceMeanParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const params = ctx.constStruct('reduce', 'tg_float_reduce_t', `{ ${walkInitializer(p.kept)}, ${walkInitializer(p.reduced)}, ${p.count} }`);
  return `tg_float_reduce_mean_f32(&${params}, ${floatOperand(ctx, graph, node.inputs[0]!, 'x')}, ${ctx.pointer(node.outputs[0]!)});`;
}
