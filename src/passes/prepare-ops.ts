/** Requantization constants and kernel geometry: each op computes its compile-time parameters once. */
import type { Graph } from '../ir/graph.ts';
import { cloneGraph } from '../ir/graph.ts';
import type { CompileOptions } from '../ops/op.ts';
import { opDefinition } from '../ops/registry.ts';

export function prepareOps(input: Graph, options: CompileOptions): Graph {
  const graph = cloneGraph(input);
  // Each registry entry stores its op's parameters on node.params (src/ops/op.ts, defineOp).
  for (const node of graph.nodes) opDefinition(node.op).prepare(node, graph, options);
  return graph;
}
