/**
 * Activation fusion: a Clamp (a Relu or Clip from the model) whose input comes from an op that
 * requantizes (conv, matmul, ...) and feeds nothing else folds into that op's output clamp.
 */
import type { Graph } from '../ir/graph.ts';
import { cloneGraph, consumersOf, producerOf } from '../ir/graph.ts';
import { opDefinition } from '../ops/registry.ts';
import { narrow } from '../ops/common/activation.ts';
import { clampLevels } from '../ops/clamp/index.ts';

export function fuseActivations(input: Graph): Graph {
  const graph = cloneGraph(input);
  // A Clamp with integer levels bounds raw bytes, not real values: nothing to fold.
  for (const clampNode of graph.nodes.filter((n) => n.op === 'Clamp' && clampLevels(n) === undefined)) {
    const inner = clampNode.inputs[0]!;
    const producer = producerOf(graph, inner);
    if (!producer || !opDefinition(producer.op).fusesActivation) continue;
    if (graph.outputs.includes(inner) || consumersOf(graph, inner).length !== 1) continue;
    producer.attrs.activation = narrow(producer.attrs.activation as number[] | undefined, clampNode.attrs.activation as number[]);
    producer.outputs = producer.outputs.map((o) => (o === inner ? clampNode.outputs[0]! : o));
    graph.nodes = graph.nodes.filter((n) => n !== clampNode);
    graph.tensors.delete(inner);
  }
  return graph;
}
