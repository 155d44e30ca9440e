/**
 * The reference interpreter: the specification the generated C must match byte for byte.
 * It runs a lowered graph node by node with each op's TypeScript semantics.
 */
import type { Graph } from '../ir/graph.ts';
import { elementCount, tensorOf } from '../ir/graph.ts';
import { opDefinition } from '../ops/registry.ts';
import type { Value } from '../ops/op.ts';

export interface RunResult {
  outputs: Value[];
  /** Every activation computed, by tensor name, for layer-by-layer comparison. */
  values: Map<string, Value>;
}

export function runReference(graph: Graph, inputs: readonly Value[]): RunResult {
  const values = new Map<string, Value>();
  graph.inputs.forEach((name, i) => {
    const tensor = tensorOf(graph, name);
    const value = inputs[i];
    if (!value) throw new Error(`internal: no value for graph input '${name}'`);
    if (value.data.length !== elementCount(tensor.shape)) {
      throw new Error(`internal: input '${name}' has ${value.data.length} elements, expected ${elementCount(tensor.shape)}`);
    }
    values.set(name, { ...value, shape: [...tensor.shape] });
  });
  for (const node of graph.nodes) {
    const args = node.inputs.map((name) => {
      if (name === '') return undefined;
      const t = tensorOf(graph, name);
      return values.get(name) ?? (t.data ? { dtype: t.dtype, shape: t.shape, data: t.data } : undefined);
    });
    const results = opDefinition(node.op).reference(node, args as Value[], graph);
    results.forEach((value, i) => values.set(node.outputs[i]!, value));
  }
  return { outputs: graph.outputs.map((name) => values.get(name)!), values };
}
