/** Shape inference: fills in every activation's shape (and type and quantization where the op derives them). */
import type { Graph } from '../ir/graph.ts';
import { cloneGraph, tensorOf } from '../ir/graph.ts';
import { opDefinition } from '../ops/registry.ts';

export function inferShapes(input: Graph): Graph {
  const graph = cloneGraph(input);
  for (const node of graph.nodes) {
    const infos = opDefinition(node.op).infer(node, graph);
    infos.forEach((info, i) => {
      const tensor = tensorOf(graph, node.outputs[i]!);
      tensor.shape = info.shape;
      if (info.dtype) tensor.dtype = info.dtype;
      if (info.quant) tensor.quant = info.quant;
    });
  }
  return graph;
}
