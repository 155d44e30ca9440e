/**
 * Multiply-accumulates per inference, the work measure of reports and benchmarks (instructions
 * per MAC). Only convolutions and matrix products count, as in CMSIS-NN's and TFLM's figures.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';

const outputElements = (node: Node, graph: Graph) => elementCount(tensorOf(graph, node.outputs[0]!).shape);

/**
 * Each output element of a convolution sums over one filter: weight elements / output channels,
 * the output's dimension `channelAxis` (3 for the IR's NHWC convs, 1 for the NCHW float one).
 */
export function convMacs(node: Node, graph: Graph, channelAxis: 1 | 3): number {
  const w = tensorOf(graph, node.inputs[1]!);
  const channels = tensorOf(graph, node.outputs[0]!).shape[channelAxis]!;
  return outputElements(node, graph) * (elementCount(w.shape) / channels);
}

/** Each output element of A·B sums over the inner dimension K, A's last axis (its first when transposed). */
export function matmulMacs(node: Node, graph: Graph, transA = false): number {
  const a = tensorOf(graph, node.inputs[0]!).shape;
  const k = transA ? a[a.length - 2]! : a[a.length - 1]!;
  return outputElements(node, graph) * k;
}
