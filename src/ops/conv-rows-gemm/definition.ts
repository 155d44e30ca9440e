/**
 * ConvRowsGemm: a convolution whose output is read only by a fully connected layer, through a
 * view that flattens it (TFLM's micro_speech: conv -> RESHAPE -> FULLY_CONNECTED), run row by row.
 * The line-buffer pass (src/passes/line-buffer.ts) makes it from the three nodes and keeps them
 * in attrs (JSON), so that prepare rebuilds and prepares the conv and the layer with their own
 * ops. The kernel holds one row of the conv's output and the layer's int32 sums, never the
 * conv's whole output: each row is folded into the sums as soon as it is made. Integer sums do
 * not depend on their order, so this computes the layers' own bytes.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { CompileOptions, PreparedNode } from '../op.ts';
import { rowBytes, storedNode } from '../common/fused.ts';
import { qlinearConv } from '../qlinear-conv/index.ts';
import { qgemm } from '../qgemm/index.ts';
import { convPatchBytes, type ConvParams } from '../qlinear-conv/definition.ts';
import { fullyConnectedLayer, type QGemmParams } from '../qgemm/definition.ts';
import type { PointwiseLayer } from '../common/pointwise.ts';
import { convMacs, matmulMacs } from '../common/macs.ts';

export interface ConvRowsGemmParams {
  conv: PreparedNode<ConvParams>;
  gemm: PreparedNode<QGemmParams>;
  /** The fully connected layer as the matrix-product kernel runs it. */
  layer: PointwiseLayer;
  /** Rows of the conv's output, and bytes in each. */
  rows: number;
  rowBytes: number;
}

/** The three nodes the step was made of, as the line-buffer pass stored them (unprepared). */
export function convRowsNodes(node: Node): { conv: Node; view: Node; gemm: Node } {
  return { conv: storedNode(node, 'conv'), view: storedNode(node, 'view'), gemm: storedNode(node, 'gemm') };
}

export function prepareConvRowsGemm(node: Node, graph: Graph, options: CompileOptions): ConvRowsGemmParams {
  const { conv, gemm } = convRowsNodes(node);
  qlinearConv.prepare(conv, graph, options);
  qgemm.prepare(gemm, graph, options);
  const layer = fullyConnectedLayer((gemm as PreparedNode<QGemmParams>).params);
  if (!layer) throw new Error(`internal: ConvRowsGemm '${node.name}' holds a QGemm the matrix-product kernel does not run`);
  const [, rows, width, channels] = tensorOf(graph, conv.outputs[0]!).shape as [number, number, number, number];
  return { conv: conv as PreparedNode<ConvParams>, gemm: gemm as PreparedNode<QGemmParams>, layer, rows, rowBytes: width * channels };
}

/** The layer's int32 sums, a row of the conv's output, and the dense kernel's patch pair. */
export function convRowsGemmScratch(node: Node, graph: Graph): number {
  return convRowsScratchBytes(convRowsNodes(node).conv, tensorOf(graph, node.outputs[0]!).shape.at(-1)!, graph);
}

/** The step's scratch for `conv` flattened into a layer of `units` outputs (the line-buffer pass weighs it against the map). */
export function convRowsScratchBytes(conv: Node, units: number, graph: Graph): number {
  return 4 * units + rowBytes(graph, conv.outputs[0]!) + convPatchBytes(conv, graph);
}

export function convRowsGemmMacs(node: Node, graph: Graph): number {
  const { conv, gemm } = convRowsNodes(node);
  return convMacs(conv, graph, 3) + matmulMacs(gemm, graph);
}
