/**
 * Line buffering (issue 12): layers run row by row as one fused step, so that an intermediate map
 * is never held whole:
 * - a residual block of two 3x3 convolutions (stride 1, padding 1, one group, no weight zero
 *   point: the dense kernel) whose sum with the block's input is the only use of either conv's
 *   output becomes one ResidualRows node (src/ops/residual-rows);
 * - a dense convolution over one image whose output is only flattened into a fully connected
 *   layer becomes one ConvRowsGemm node (src/ops/conv-rows-gemm);
 * - the first layers of a chain of convolutions, up to the one that reads the chain's largest map,
 *   become one ConvChainRows node (src/ops/conv-chain-rows).
 * Not under --optimize time, which runs every layer apart. Runs before prepare-ops, which
 * prepares the fused nodes' layers through them.
 */
import type { Graph, Node } from '../ir/graph.ts';
import { cloneGraph, isConstant, tensorBytes, tensorOf } from '../ir/graph.ts';
import type { CompileOptions } from '../ops/op.ts';
import { convPatchBytes, convVariant } from '../ops/qlinear-conv/definition.ts';
import { alignUp } from './plan-memory.ts';
import { fullyConnectedLayer, prepareQGemm } from '../ops/qgemm/definition.ts';
import { isView } from '../ops/common/qdq-view.ts';
import { storeNode, storeNodes } from '../ops/common/fused.ts';
import { convRowsScratchBytes } from '../ops/conv-rows-gemm/definition.ts';

/** The ops this pass makes: steps that run several layers row by row (the report marks them). */
export const LINE_BUFFERED_OPS: readonly string[] = ['ResidualRows', 'ConvRowsGemm', 'ConvChainRows'];

export function lineBuffer(input: Graph, options: CompileOptions): Graph {
  if ((options.optimize ?? 'balanced') === 'time' || options.lineBuffer === false) return input;
  const graph = cloneGraph(input);
  const readers = new Map<string, number>();
  for (const node of graph.nodes) for (const name of node.inputs) if (name !== '' && !isConstant(graph, name)) readers.set(name, (readers.get(name) ?? 0) + 1);
  const producer = new Map(graph.nodes.flatMap((node) => node.outputs.map((name) => [name, node] as const)));
  const fused = new Map<Node, Node>();
  const absorbed = new Set<Node>();
  // The step takes the last layer's place in the schedule and the others' are dropped; it reads
  // the first layer's input and writes the last one's output.
  const fuse = (op: string, layers: readonly Node[], attrs: Record<string, string>, name = layers.map((n) => n.name).join('+')) => {
    const last = layers[layers.length - 1]!;
    for (const layer of layers.slice(0, -1)) absorbed.add(layer);
    fused.set(last, { name, op, inputs: [layers[0]!.inputs[0]!], outputs: [last.outputs[0]!], attrs });
  };
  for (const last of graph.nodes) {
    const block = residualBlock(last, graph, readers, producer);
    if (block && !absorbed.has(block.first) && !absorbed.has(block.second)) {
      fuse('ResidualRows', [block.first, block.second, last], { first: storeNode(block.first), second: storeNode(block.second), add: storeNode(last) });
    }
    const rows = convRows(last, graph, options, readers, producer);
    if (rows && !absorbed.has(rows.conv)) {
      const { conv, view } = rows;
      fuse('ConvRowsGemm', [conv, view, last], { conv: storeNode(conv), view: storeNode(view), gemm: storeNode(last) }, `${conv.name}+${last.name}`);
    }
  }
  if (options.convChains !== false) {
    for (const chain of convChains(graph, readers, producer, absorbed)) fuse('ConvChainRows', chain, { layers: storeNodes(chain) });
  }
  graph.nodes = graph.nodes.filter((n) => !absorbed.has(n)).map((n) => fused.get(n) ?? n);
  return graph;
}

/** A conv a chain runs row by row: pointwise, depthwise or dense, over one image. */
function chainLayer(n: Node | undefined, graph: Graph): n is Node {
  return n !== undefined && n.op === 'QLinearConv' && ['1x1', 'depthwise', 'dense'].includes(convVariant(n, graph)) && tensorOf(graph, n.inputs[0]!).shape[0] === 1;
}

/**
 * Chains of convolutions to run row by row (ConvChainRows): in each run of layers where every
 * output is read only by the next layer, which slides a window over it (its stride at most its
 * rows, no dilation along H), the layers from the run's first to the one that reads the run's
 * largest map: the early high-resolution layers, where a MobileNet's peak lies.
 */
function convChains(graph: Graph, readers: Map<string, number>, producer: Map<string, Node>, absorbed: Set<Node>): Node[][] {
  const next = new Map<Node, Node>();
  const linked = new Set<Node>();
  for (const consumer of graph.nodes) {
    if (absorbed.has(consumer) || !chainLayer(consumer, graph)) continue;
    const [kH] = consumer.attrs.kernel_shape as number[];
    const [strideH] = consumer.attrs.strides as number[];
    const [dilH] = consumer.attrs.dilations as number[];
    // (Dilation along H means nothing to a one-row window.)
    if (strideH! > kH! || (dilH !== 1 && kH! > 1)) continue;
    const before = producer.get(consumer.inputs[0]!);
    if (!chainLayer(before, graph) || absorbed.has(before) || !onlyRead(before.outputs[0]!, 1, graph, readers)) continue;
    next.set(before, consumer);
    linked.add(consumer);
  }
  const chains: Node[][] = [];
  for (const start of graph.nodes) {
    if (!next.has(start) || linked.has(start)) continue;
    const run = [start];
    for (let n = next.get(start); n; n = next.get(n)) run.push(n);
    const maps = run.slice(0, -1).map((n) => tensorBytes(tensorOf(graph, n.outputs[0]!)));
    chains.push(run.slice(0, maps.indexOf(Math.max(...maps)) + 2));
  }
  return chains;
}

/** The two convs of a residual block ending at `add`, if it is one the row kernel runs. */
function residualBlock(add: Node, graph: Graph, readers: Map<string, number>, producer: Map<string, Node>): { first: Node; second: Node } | undefined {
  // The row kernel is int8 only (an int16 QLinearAdd is TFLite's 16x8 ADD).
  if (add.op !== 'QLinearAdd' || add.inputs.length !== 2 || tensorOf(graph, add.outputs[0]!).dtype !== 'int8') return undefined;
  const rowConv = (n: Node | undefined): n is Node =>
    denseOverOneImage(n, graph) &&
    (n.attrs.kernel_shape as number[]).join() === '3,3' &&
    (n.attrs.strides as number[]).join() === '1,1' &&
    (n.attrs.dilations as number[]).join() === '1,1' &&
    (n.attrs.pads as number[]).join() === '1,1,1,1';
  for (const [skip, branch] of [add.inputs, [...add.inputs].reverse()] as [string, string][]) {
    const second = producer.get(branch);
    if (!rowConv(second)) continue;
    const first = producer.get(second.inputs[0]!);
    if (!rowConv(first) || first.inputs[0] !== skip) continue;
    const same = (a: string, b: string) => tensorOf(graph, a).shape.join() === tensorOf(graph, b).shape.join();
    if (!same(skip, branch) || !same(skip, add.outputs[0]!)) continue;
    if (!onlyRead(first.outputs[0]!, 1, graph, readers) || !onlyRead(second.outputs[0]!, 1, graph, readers) || !onlyRead(skip, 2, graph, readers)) continue;
    return { first, second };
  }
  return undefined;
}

/** A conv the dense kernel runs, over one image (the row kernels' shape). */
function denseOverOneImage(n: Node | undefined, graph: Graph): n is Node {
  return n !== undefined && n.op === 'QLinearConv' && convVariant(n, graph) === 'dense' && tensorOf(graph, n.inputs[0]!).shape[0] === 1;
}

/** Read by exactly `count` nodes, and not a graph output. */
function onlyRead(name: string, count: number, graph: Graph, readers: Map<string, number>): boolean {
  return readers.get(name) === count && !graph.outputs.includes(name);
}

/**
 * The conv and the view of a conv flattened into `gemm`, if gemm is a fully connected layer the
 * matrix-product kernel runs over one vector and the conv's output has no other use: its NHWC
 * rows are then contiguous runs of that vector.
 */
function convRows(gemm: Node, graph: Graph, options: CompileOptions, readers: Map<string, number>, producer: Map<string, Node>): { conv: Node; view: Node } | undefined {
  if (gemm.op !== 'QGemm') return undefined;
  const view = producer.get(gemm.inputs[0]!);
  if (!view || (view.op !== 'Reshape' && view.op !== 'Flatten') || !isView(view, graph)) return undefined;
  const conv = producer.get(view.inputs[0]!);
  if (!denseOverOneImage(conv, graph)) return undefined;
  if (!onlyRead(conv.outputs[0]!, 1, graph, readers) || !onlyRead(view.outputs[0]!, 1, graph, readers)) return undefined;
  const flat = tensorOf(graph, view.outputs[0]!).shape;
  if (flat.length !== 2 || flat[0] !== 1 || gemm.attrs.transA) return undefined;
  const layer = fullyConnectedLayer(prepareQGemm(gemm, graph, options));
  if (!layer || layer.outW !== 1) return undefined;
  // Only where it lowers the step's memory: the sums, a row and the output instead of the map
  // (tiny maps can be smaller than the sums and a row).
  const fused = alignUp(convRowsScratchBytes(conv, layer.outChannels, graph)) + alignUp(layer.outChannels);
  return fused < alignUp(convPatchBytes(conv, graph)) + alignUp(tensorBytes(tensorOf(graph, conv.outputs[0]!))) ? { conv, view } : undefined;
}
