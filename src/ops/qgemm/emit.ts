import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { requantInitializer } from '../common/emit.ts';
import { gemmInitializer } from '../common/gemm.ts';
import { emitPointwise } from '../common/pointwise.ts';
import { fullyConnectedLayer, type QGemmParams } from './definition.ts';

export function emitQGemm(node: PreparedNode<QGemmParams>, _graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const layer = fullyConnectedLayer(p);
  if (layer) return emitPointwise(ctx, layer, ctx.pointer(node.inputs[0]!), ctx.pointer(node.outputs[0]!));
  const gemm = ctx.constStruct('gemm', 'tg_gemm_t', gemmInitializer(ctx, p.gemm));
  const [a, y] = [ctx.pointer(node.inputs[0]!), ctx.pointer(node.outputs[0]!)];
  if (p.output.kind === 'quantized') {
    const rq = ctx.constStruct('rq', 'tg_requant_t', requantInitializer(ctx, p.output.requant));
    return `tg_gemm_s8(&${gemm}, &${rq}, ${a}, ${y});`;
  }
  const scales = ctx.constArray('scale', 'float', p.output.scales);
  return `tg_gemm_s8_f32(&${gemm}, ${scales}, ${p.output.scales.length > 1 ? 1 : 0}, ${a}, ${y});`;
}
