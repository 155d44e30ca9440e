/** Requantization constants and kernel geometry: each op computes its compile-time parameters once. */
import type { Graph } from '../ir/graph.ts';
import { cloneGraph } from '../ir/graph.ts';
import type { CompileOptions } from '../ops/op.ts';
import { opDefinition } from '../ops/registry.ts';

export function prepareOps(input: Graph, options: CompileOptions): Graph {
  const graph = cloneGraph(input);
  for (const node of graph.nodes) opDefinition(node.op).prepare(node, graph, options);
  return graph;
}
