/**
 * Steps that fuse several layers (made by the line-buffer pass, src/passes/line-buffer.ts) keep
 * those layers in their attributes as JSON, unprepared: the fused op's prepare rebuilds them and
 * prepares each with its own op. Writing and reading that form live here together.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorBytes, tensorOf } from '../../ir/graph.ts';
import type { OutputInfo } from '../op.ts';

const record = (n: Node) => ({ name: n.name, op: n.op, inputs: n.inputs, outputs: n.outputs, attrs: n.attrs });

/** A layer as a fused node's attribute keeps it. */
export function storeNode(n: Node): string {
  return JSON.stringify(record(n));
}

/** Layers (a chain) as a fused node's attribute keeps them. */
export function storeNodes(nodes: readonly Node[]): string {
  return JSON.stringify(nodes.map(record));
}

/** The layer kept in attribute `attr`, unprepared. */
export function storedNode(node: Node, attr: string): Node {
  return JSON.parse(node.attrs[attr] as string) as Node;
}

/** The layers kept in attribute `attr`, unprepared. */
export function storedNodes(node: Node, attr: string): Node[] {
  return JSON.parse(node.attrs[attr] as string) as Node[];
}

/** A fused step's output: the last fused layer's, whose tensor the graph still holds. */
export function inferFusedOutput(node: Node, graph: Graph): OutputInfo[] {
  return [{ shape: [...tensorOf(graph, node.outputs[0]!).shape] }];
}

/** Bytes in one row (H index) of an NHWC tensor. */
export function rowBytes(graph: Graph, name: string): number {
  const t = tensorOf(graph, name);
  return tensorBytes(t) / t.shape[1]!;
}
