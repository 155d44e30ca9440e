import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { convRowCall } from '../qlinear-conv/emit.ts';
import type { ConvChainRowsParams } from './definition.ts';

/**
 * One function per layer, `<layer>(x, y, out)`: row y of that layer into `out`. The first reads
 * the chain's input x; each later one slides its window (k_h rows of the layer before, in the
 * scratch space) down by its stride, asks the layer before for the rows that came into view, or
 * fills those past the map's edges with the zero point, and runs its row kernel over the window
 * as a k_h-row image without padding rows. The step asks the last layer for its rows in order,
 * each written straight into the output (which may lie over the chain's input: convChainInPlace).
 * The row order is chainEvents' (definition.ts).
 */
export function emitConvChainRows(node: PreparedNode<ConvChainRowsParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const scratch = ctx.scratch(node);
  const patch = `${scratch} + ${p.patchOffset}`;
  let previous = '';
  for (const [i, layer] of p.layers.entries()) {
    const g = layer.params.geometry;
    let body: string[];
    if (i === 0) {
      body = [convRowCall(layer, graph, ctx, g, 'x', 'y', 'out', patch)];
    } else {
      const [k, stride, rowBytes] = [g.kH, g.strideH, g.inW * g.inC];
      const kept = k - stride;
      body = [
        `int8_t *window = ${scratch} + ${p.windowOffsets[i]};`,
        `const int32_t top = y * ${stride} - ${g.padTop};`,
        ...(kept > 0 ? ['int32_t j = 0;', 'if (y > 0) {', `    memmove(window, window + ${stride * rowBytes}, ${kept * rowBytes});`, `    j = ${kept};`, '}', 'for (; j < ' + k + '; j++) {'] : [`for (int32_t j = 0; j < ${k}; j++) {`]),
        '    const int32_t row = top + j;',
        `    if (row < 0 || row >= ${g.inH}) {`,
        `        memset(window + j * ${rowBytes}, ${layer.params.inZeroPoint}, ${rowBytes});`,
        '    } else {',
        `        ${previous}(x, row, window + j * ${rowBytes});`,
        '    }',
        '}',
        convRowCall(layer, graph, ctx, { ...g, inH: k, outH: 1, padTop: 0 }, 'window', '0', 'out', patch),
      ];
    }
    previous = ctx.helper('row', 'const int8_t *x, int32_t y, int8_t *out', body);
  }
  const last = p.layers[p.layers.length - 1]!.params.geometry;
  return [
    '{',
    `    const int8_t *x = ${ctx.pointer(node.inputs[0]!)};`,
    `    int8_t *y = ${ctx.pointer(node.outputs[0]!)};`,
    `    for (int32_t r = 0; r < ${last.outH}; r++) ${previous}(x, r, y + r * ${last.outW * last.outC});`,
    '}',
  ].join('\n    ');
}
