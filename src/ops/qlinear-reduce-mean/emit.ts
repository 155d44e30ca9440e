import type { Graph } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { cFloat } from '../../codegen/c-literals.ts';
import { requantInitializer } from '../common/emit.ts';
import { MAX_REDUCE_RANK, type ReduceMeanParams, type WalkAxis } from './definition.ts';

const SUM_KIND = { chain: 'TG_SUM_CHAIN', eigen: 'TG_SUM_EIGEN', block4: 'TG_SUM_BLOCK4' } as const;

/** rank, { dims }, { strides }, { logical strides }, each padded to the struct's 6 entries. */
function axesInitializer(axes: readonly WalkAxis[]): string {
  const pad = (values: number[]) => `{ ${[...values, ...new Array<number>(MAX_REDUCE_RANK - values.length).fill(0)].join(', ')} }`;
  return `${axes.length}, ${pad(axes.map((a) => a.dim))}, ${pad(axes.map((a) => a.stride))}, ${pad(axes.map((a) => a.logical))}`;
}

export function emitQLinearReduceMean(node: PreparedNode<ReduceMeanParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const fields = [
    axesInitializer(p.kept),
    axesInitializer(p.outer),
    p.segLen,
    p.segStride,
    SUM_KIND[p.segKind],
    p.count,
    p.inZeroPoint,
    cFloat(p.inScale),
    cFloat(p.outScale),
    requantInitializer(ctx, p.requant),
  ];
  const params = ctx.constStruct('reduce_mean', 'tg_reduce_mean_t', `{ ${fields.join(', ')} }`);
  const kernel = tensorOf(graph, node.inputs[0]!).dtype === 'int16' ? 'tg_reduce_mean_s16' : 'tg_reduce_mean_s8';
  return `${kernel}(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
