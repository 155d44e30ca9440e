/**
 * Multiply-accumulates per inference, the work measure of reports and benchmarks (instructions
 * per MAC). Only convolutions and matrix products count, as in CMSIS-NN's and TFLM's figures.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';

const outputElements = (node: Node, graph: Graph) => elementCount(tensorOf(graph, node.outputs[0]!).shape);

/** Each output element of a convolution sums over one filter: weight elements / output channels. */
export function convMacs(node: Node, graph: Graph): number {
  const w = tensorOf(graph, node.inputs[1]!);
  return outputElements(node, graph) * (elementCount(w.shape) / w.shape[0]!);
}

/** Each output element of A·B sums over the inner dimension K, A's last axis (its first when transposed). */
export function matmulMacs(node: Node, graph: Graph, transA = false): number {
  const a = tensorOf(graph, node.inputs[0]!).shape;
  const k = transA ? a[a.length - 2]! : a[a.length - 1]!;
  return outputElements(node, graph) * k;
}
