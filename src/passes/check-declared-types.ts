/**
 * A graph output declared with one element type in the model file and computed as another is
 * refused once types are inferred: the generated API would hand the caller, say, uint8 bytes
 * where the model promised float32, and a caller written against the model's declaration would
 * read them wrongly.
 */
import type { Graph } from '../ir/graph.ts';
import { UserError } from '../errors.ts';

export function checkDeclaredTypes(graph: Graph): Graph {
  for (const name of graph.outputs) {
    const tensor = graph.tensors.get(name);
    // A constant output is refused on its own account (every output must be computed).
    if (tensor?.declaredDtype !== undefined && tensor.data === undefined && tensor.declaredDtype !== tensor.dtype) {
      throw new UserError(`graph output '${name}' is declared ${tensor.declaredDtype} but the model computes ${tensor.dtype} there`);
    }
  }
  return graph;
}
