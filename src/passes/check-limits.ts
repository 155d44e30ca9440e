/**
 * Refuses a model whose sizes tinygen cannot honour, once every shape is known: a graph with no
 * outputs (nothing to compute, and no API to generate), outputs that are not distinct computed
 * tensors, inputs listed twice, and a tensor of 2^31 bytes or more (C
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
  // Each output is a distinct tensor a node computes: the generated API writes each output argument
  // from the step that computes it, so an output listed twice, a graph input or a constant as an
  // output would leave an argument unwritten (or be read as scratch) and the firmware wrong.
  const computed = new Set(graph.nodes.flatMap((n) => n.outputs));
  const seen = new Set<string>();
  for (const output of graph.outputs) {
    if (seen.has(output)) throw new UserError(`graph output '${output}' is listed twice`);
    seen.add(output);
    if (!computed.has(output)) {
      const what = graph.inputs.includes(output) ? 'a graph input' : graph.tensors.get(output)?.data !== undefined ? 'a constant' : 'not computed by any node';
      throw new UserError(`graph output '${output}' is ${what}; every output must be computed by a node`);
    }
  }
  const inputs = new Set<string>();
  for (const input of graph.inputs) {
    if (inputs.has(input)) throw new UserError(`graph input '${input}' is listed twice`);
    inputs.add(input);
  }
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
