import type { Graph } from './graph.ts';
import { UserError } from '../errors.ts';

/**
 * Checks the invariants every pass must keep: each tensor is defined before it is read and
 * produced at most once, graph outputs exist, and every tensor has a concrete shape.
 * After a pass, a failure is a tinygen bug: a plain Error naming the pass. Right after import it
 * is the model's (two nodes writing one tensor, a node reading what nothing writes): a UserError.
 */
export function verifyGraph(graph: Graph, after: string): void {
  const fail = (msg: string): never => {
    if (after === 'import') throw new UserError(`the model's graph is invalid: ${msg}`);
    throw new Error(`internal: graph invalid after ${after}: ${msg}`);
  };
  const defined = new Set<string>(graph.inputs);
  for (const [name, t] of graph.tensors) {
    if (t.data) defined.add(name);
    if (t.shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`tensor '${name}' has shape [${t.shape}]`);
  }
  for (const node of graph.nodes) {
    for (const input of node.inputs) {
      if (input !== '' && !defined.has(input)) fail(`node '${node.name}' (${node.op}) reads '${input}' before it is defined`);
    }
    for (const output of node.outputs) {
      if (defined.has(output)) fail(`tensor '${output}' is defined twice`);
      if (!graph.tensors.has(output)) fail(`node '${node.name}' writes unknown tensor '${output}'`);
      defined.add(output);
    }
  }
  for (const output of graph.outputs) if (!defined.has(output)) fail(`graph output '${output}' is never produced`);
}
