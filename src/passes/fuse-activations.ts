/**
 * Activation fusion: a Clamp (a Relu or Clip from the model) whose input comes from an op that
 * requantizes (conv, matmul, ...) and feeds nothing else folds into that op's output clamp.
 * attrs.clamp are integers in the output's domain, so two of them intersect only when the Clamp's
 * input and output are one type and quantization (the Clamp's usual case; one with a quantization
 * of its own, TFLM's RELU6, clamps raw bytes and stays).
 */
import type { Graph } from '../ir/graph.ts';
import { cloneGraph, consumersOf, producerOf } from '../ir/graph.ts';
import { opDefinition } from '../ops/registry.ts';
import { clampAttr, narrow } from '../ops/common/activation.ts';
import { sameRepresentation } from '../ops/common/requant-table.ts';

export function fuseActivations(input: Graph): Graph {
  const graph = cloneGraph(input);
  for (const clampNode of graph.nodes.filter((n) => n.op === 'Clamp')) {
    const inner = clampNode.inputs[0]!;
    const producer = producerOf(graph, inner);
    if (!producer || !opDefinition(producer.op).fusesActivation) continue;
    if (graph.outputs.includes(inner) || consumersOf(graph, inner).length !== 1) continue;
    if (!sameRepresentation(graph, inner, clampNode.outputs[0]!)) continue;
    producer.attrs.clamp = narrow(clampAttr(producer), clampAttr(clampNode)!);
    producer.outputs = producer.outputs.map((o) => (o === inner ? clampNode.outputs[0]! : o));
    graph.nodes = graph.nodes.filter((n) => n !== clampNode);
    graph.tensors.delete(inner);
  }
  return graph;
}
