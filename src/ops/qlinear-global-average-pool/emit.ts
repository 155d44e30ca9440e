import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { cFloat } from '../../codegen/c-literals.ts';
import { requantInitializer } from '../common/emit.ts';
import type { GlobalAveragePoolParams } from './definition.ts';

export function emitQLinearGlobalAveragePool(node: PreparedNode<GlobalAveragePoolParams>, _graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const fields = [
    p.batch,
    p.channels,
    p.spatial,
    p.batchStride,
    p.channelStride,
    p.spatialStride,
    p.inZeroPoint,
    requantInitializer(ctx, p.requant),
    p.floatPath ? 1 : 0,
    cFloat(p.inScale),
    cFloat(p.outScale),
  ];
  const params = ctx.constStruct('gavgpool', 'tg_global_avgpool_t', `{ ${fields.join(', ')} }`);
  return `tg_global_avgpool_s8(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
