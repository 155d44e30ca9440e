/** Shape inference: fills in every activation's shape (and type and quantization where the op derives them). */
import type { Graph } from '../ir/graph.ts';
import { cloneGraph, tensorOf } from '../ir/graph.ts';
import { opDefinition } from '../ops/registry.ts';
import { UserError } from '../errors.ts';
import { sameQuantization } from '../ops/common/requant-table.ts';

export function inferShapes(input: Graph): Graph {
  const graph = cloneGraph(input);
  for (const node of graph.nodes) {
    const infos = opDefinition(node.op).infer(node, graph);
    infos.forEach((info, i) => {
      const tensor = tensorOf(graph, node.outputs[i]!);
      tensor.shape = info.shape;
      if (info.dtype) tensor.dtype = info.dtype;
      if (info.quant) {
        // A consumer (a QLinear op's x_scale and x_zero_point) may have said how it reads these
        // bytes; an op that passes its input's quantization through (MaxPool, Reshape) must agree,
        // or the consumer would be computed with numbers the model does not give it.
        if (tensor.quant && !sameQuantization(tensor.quant, info.quant)) {
          throw new UserError(`node '${node.name}' (${node.op}): its output '${tensor.name}' keeps its input's quantization (scale ${info.quant.scale[0]}, zero point ${info.quant.zeroPoint[0]}), but a consumer reads it as scale ${tensor.quant.scale[0]}, zero point ${tensor.quant.zeroPoint[0]}`);
        }
        tensor.quant = info.quant;
      }
    });
  }
  return graph;
}
