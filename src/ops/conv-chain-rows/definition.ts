/**
 * ConvChainRows: a chain of convolutions (pointwise, depthwise or dense, over one image), each
 * one's output read only by the next, run row by row: the first high-resolution layers of a
 * MobileNet, whose maps are the largest of the network (MCUNetV2 runs them patch by patch; rows
 * need no recomputation). The line-buffer pass (src/passes/line-buffer.ts) makes it and keeps the
 * layers in attrs (JSON), so that prepare rebuilds and prepares each with its own op.
 *
 * The last layer's rows are made in order; each layer makes a row from a window of k_h rows of
 * the layer before it (a contiguous copy in the scratch space, the rows past the map's edges
 * holding the zero point, which the kernels read as padding), and asks that layer for the rows
 * its window lacks, in order, each once: the window slides by the stride, which may not exceed
 * k_h. The first layer reads the chain's input whole. No intermediate map is ever held whole.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorBytes, tensorOf } from '../../ir/graph.ts';
import type { CompileOptions, InPlaceRule, PreparedNode } from '../op.ts';
import { storedNodes } from '../common/fused.ts';
import { qlinearConv } from '../qlinear-conv/index.ts';
import { convPatchBytes, type ConvParams } from '../qlinear-conv/definition.ts';
import { windowGeometry, type WindowGeometry } from '../common/window.ts';
import { convMacs } from '../common/macs.ts';

export interface ConvChainRowsParams {
  layers: PreparedNode<ConvParams>[];
  /** Where each layer's window starts in the scratch space (the first layer has none: -1). */
  windowOffsets: number[];
  /** Where the dense kernels' patch starts in the scratch space. */
  patchOffset: number;
}

/** The layers the chain was made of, as the line-buffer pass stored them (unprepared). */
export function chainLayers(node: Node): Node[] {
  return storedNodes(node, 'layers');
}

function geometries(layers: Node[], graph: Graph): WindowGeometry[] {
  return layers.map((l) => windowGeometry(l, tensorOf(graph, l.inputs[0]!).shape, tensorOf(graph, l.outputs[0]!).shape));
}

/** Window offsets, the patch's offset and the scratch bytes: a window of k_h rows of the layer before for each layer after the first, then the largest dense patch. */
function scratchLayout(layers: Node[], graph: Graph): { windowOffsets: number[]; patchOffset: number; bytes: number } {
  const g = geometries(layers, graph);
  let at = 0;
  const windowOffsets = g.map((layer, i) => {
    if (i === 0) return -1;
    const offset = at;
    at += layer.kH * layer.inW * layer.inC;
    return offset;
  });
  return { windowOffsets, patchOffset: at, bytes: at + Math.max(0, ...layers.map((l) => convPatchBytes(l, graph))) };
}

export function prepareConvChainRows(node: Node, graph: Graph, options: CompileOptions): ConvChainRowsParams {
  const layers = chainLayers(node);
  for (const layer of layers) qlinearConv.prepare(layer, graph, options);
  const { windowOffsets, patchOffset } = scratchLayout(layers, graph);
  return { layers: layers as PreparedNode<ConvParams>[], windowOffsets, patchOffset };
}

export function convChainRowsScratch(node: Node, graph: Graph): number {
  return scratchLayout(chainLayers(node), graph).bytes;
}

export function convChainRowsMacs(node: Node, graph: Graph): number {
  return chainLayers(node).reduce((sum, layer) => sum + convMacs(layer, graph, 3), 0);
}

/** One event of the chain's run, in order: the first layer reads a row of the chain's input, or the last writes a row of its output. */
export type ChainEvent = { kind: 'read' | 'write'; row: number };

/** The rows the chain reads and writes, in the order the emitted code does (emit.ts). */
export function chainEvents(g: readonly WindowGeometry[]): ChainEvent[] {
  const events: ChainEvent[] = [];
  const row = (i: number, y: number): void => {
    const l = g[i]!;
    const top = y * l.strideH - l.padTop;
    if (i === 0) {
      for (let k = 0; k < l.kH; k++) {
        const r = top + k * l.dilH;
        if (r >= 0 && r < l.inH) events.push({ kind: 'read', row: r });
      }
      return;
    }
    // The window keeps k_h - stride rows from the row before; the first row fills it.
    for (let r = y === 0 ? top : top + l.kH - l.strideH; r < top + l.kH; r++) if (r >= 0 && r < l.inH) row(i - 1, r);
  };
  const last = g.length - 1;
  for (let y = 0; y < g[last]!.outH; y++) {
    row(last, y);
    events.push({ kind: 'write', row: y });
  }
  return events;
}

/**
 * In place over the chain's input where no row is written over input bytes still to be read,
 * with the input `lead` = max(0, output - input) bytes into the output's memory (the planner's
 * tie): the first layers of a MobileNet shrink the map, and their input dies from the top as the
 * output grows there.
 */
export function convChainInPlace(node: Node, graph: Graph): InPlaceRule | undefined {
  const layers = chainLayers(node);
  const g = geometries(layers, graph);
  const [input, output] = [tensorOf(graph, node.inputs[0]!), tensorOf(graph, node.outputs[0]!)];
  const lead = Math.max(0, tensorBytes(output) - tensorBytes(input));
  const first = g[0]!;
  const last = g[g.length - 1]!;
  const [inRow, outRow] = [first.inW * first.inC, last.outW * last.outC];
  let written = 0;
  for (const event of chainEvents(g)) {
    if (event.kind === 'write') written = (event.row + 1) * outRow;
    else if (lead + event.row * inRow < written) return undefined;
  }
  return { input: 0, scratchBytes: 0, extraInstructions: 0 };
}
