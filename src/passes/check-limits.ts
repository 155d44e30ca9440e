/**
 * Refuses a model whose sizes tinygen cannot honour, once every shape is known: a graph with no
 * outputs (nothing to compute, and no API to generate), and a tensor of 2^31 bytes or more (C
 * array sizes, the arena's offsets and the kernels' indices are 32-bit, and no microcontroller
 * holds it anyway). Refused here, nothing downstream sizes an array from such a shape.
 */
import type { Graph } from '../ir/graph.ts';
import { dtypeBytes } from '../ir/graph.ts';
import { UserError } from '../errors.ts';

/** Largest tensor, in bytes and in elements. */
export const MAX_TENSOR_BYTES = 2 ** 31 - 1;

export function checkLimits(graph: Graph): Graph {
  if (graph.outputs.length === 0) throw new UserError('the graph has no outputs: there is nothing to compute');
  for (const tensor of graph.tensors.values()) {
    // Multiplied as doubles, which stay exact far past 2^31 for any shape that gets here.
    const elements = tensor.shape.reduce((a, b) => a * b, 1);
    const bytes = elements * dtypeBytes(tensor.dtype);
    if (bytes > MAX_TENSOR_BYTES) {
      throw new UserError(`tensor '${tensor.name}' [${tensor.shape.join(', ')}] ${tensor.dtype} holds ${bytes} bytes; tinygen's limit is ${MAX_TENSOR_BYTES}`);
    }
  }
  return graph;
}
