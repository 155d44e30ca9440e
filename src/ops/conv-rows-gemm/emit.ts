import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { kernelOf, pointwiseParams } from '../common/pointwise.ts';
import { denseParams, denseRowCall } from '../qlinear-conv/emit.ts';
import type { ConvRowsGemmParams } from './definition.ts';

/**
 * One loop over the conv's output rows, its scratch holding `sums` (the layer's int32 sums),
 * `row` (one row of the conv's output) and the dense kernel's patch pair. Row r is made, then
 * folded into the sums as values r * rowBytes .. of the flattened vector (NHWC rows are
 * contiguous runs of it); after the last row the sums are requantized into the output.
 */
export function emitConvRowsGemm(node: PreparedNode<ConvRowsGemmParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const channels = p.layer.outChannels;
  const matrix = pointwiseParams(ctx, p.layer);
  const convRow = denseRowCall(p.conv, denseParams(p.conv, graph, ctx), ctx, 'x', 'r', 'row', 'patch');
  const accumulate = ctx.specialised({ header: 'tg_conv_1x1.h', body: 'tg_matmul_accumulate_body', library: 'tg_matmul_accumulate_s8' }, matrix, [
    { declaration: 'const int8_t *x', name: 'x', value: 'row' },
    { declaration: 'int32_t offset', name: 'offset', value: `r * ${p.rowBytes}` },
    { declaration: 'int32_t count', name: 'count', value: String(p.rowBytes) },
    { declaration: 'int32_t *sums', name: 'sums', value: 'sums' },
  ]);
  const finish = ctx.specialised(kernelOf('tg_matmul_finish', p.layer.requant.mode, 'tg_conv_1x1.h'), matrix, [
    { declaration: 'const int32_t *sums', name: 'sums', value: 'sums' },
    { declaration: 'int8_t *y', name: 'y', value: ctx.pointer(node.outputs[0]!) },
  ]);
  return [
    '{',
    `    const int8_t *x = ${ctx.pointer(node.inputs[0]!)};`,
    `    int32_t *sums = (int32_t *)${ctx.scratch(node)};`,
    `    int8_t *row = (int8_t *)(sums + ${channels});`,
    `    int8_t *patch = row + ${p.rowBytes};`,
    `    memset(sums, 0, ${4 * channels});`,
    `    for (int32_t r = 0; r < ${p.rows}; r++) {`,
    `        ${convRow}`,
    `        ${accumulate}`,
    '    }',
    `    ${finish}`,
    '}',
  ].join('\n    ');
}
