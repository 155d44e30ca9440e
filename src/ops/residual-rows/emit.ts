import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { broadcastPlan } from '../common/broadcast.ts';
import { denseParams, denseRowCall } from '../qlinear-conv/emit.ts';
import { emitQLinearAdd } from '../qlinear-add/emit.ts';
import type { ConvParams } from '../qlinear-conv/definition.ts';
import type { ResidualRowsParams } from './definition.ts';

/**
 * The block as one loop, its scratch holding `window` (three rows of the first conv's output),
 * `branch` (a row of the second conv's) and a patch pair. Step i (0 .. rows) slides the window up
 * a row and puts the first conv's row i in its last slot (the zero point past the map's last
 * row), reading input rows i - 1 .. i + 1; the window then holds rows i - 2 .. i, and from i = 1
 * output row r = i - 1 is made:
 * - the second conv's row r is its only output row over the window, read as a 3-row image with
 *   no top padding: window rows above and below the map hold the first conv's output zero point,
 *   which the dense kernel reads exactly as it reads padding (gathered as the zero point);
 * - the add writes output row r from input row r and `branch`, over input row r when in place:
 *   the first conv has read that row for the last time (at step r + 1, just before).
 * Each kernel has one call site, so one instance each.
 */
export function emitResidualRows(node: PreparedNode<ResidualRowsParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const rowKernel = (conv: PreparedNode<ConvParams>, params: string, image: string, oy: string, output: string) => denseRowCall(conv, params, ctx, image, oy, output, 'patch');
  const g = p.second.params.geometry;
  const x = node.inputs[0]!;
  const elements = p.inRowBytes;
  const m = p.middleRowBytes;
  const zero = p.second.params.inZeroPoint;
  const firstRow = rowKernel(p.first, denseParams(p.first, graph, ctx), 'x', 'i', `window + ${2 * m}`);
  const secondRow = rowKernel(p.second, denseParams(p.second, graph, ctx, { ...g, inH: 3, outH: 1, padTop: 0 }), 'window', '0', 'branch');
  const addRow = emitQLinearAdd(p.add, graph, ctx, {
    plan: broadcastPlan([elements], [elements], [elements]),
    pointer: (name) => (name === x ? `(x + (i - 1) * ${p.inRowBytes})` : name === p.add.outputs[0] ? `(z + (i - 1) * ${p.inRowBytes})` : 'branch'),
  });
  return [
    '{',
    `    const int8_t *x = ${ctx.pointer(x)};`,
    `    int8_t *z = ${ctx.pointer(node.outputs[0]!)};`,
    `    int8_t *window = ${ctx.scratch(node)};`,
    `    int8_t *branch = window + ${3 * m};`,
    `    int8_t *patch = branch + ${p.outRowBytes};`,
    `    memset(window + ${m}, ${zero}, ${2 * m});`,
    `    for (int32_t i = 0; i <= ${p.rows}; i++) {`,
    `        memmove(window, window + ${m}, ${2 * m});`,
    `        if (i < ${p.rows}) {`,
    `            ${firstRow}`,
    '        } else {',
    `            memset(window + ${2 * m}, ${zero}, ${m});`,
    '        }',
    '        if (i >= 1) {',
    `            ${secondRow}`,
    `            ${addRow}`,
    '        }',
    '    }',
    '}',
  ].join('\n    ');
}
