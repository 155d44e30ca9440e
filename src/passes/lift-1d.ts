/**
 * 1-D windows → 2-D: a windowed node over one spatial axis (attrs.window_rank = 1: a Conv or a
 * pool on an [N, C, L] input) already carries the attributes of the 2-D window over [1, L]
 * (src/ops/common/window.ts). This pass gives its activation input and output the 4-D shapes
 * [N, C, 1, L] the 2-D kernels and the layout pass expect; the bytes are the same in NCL and
 * NC1L order. A tensor that only such nodes produce and read changes shape in place, so a chain
 * of 1-D layers stays NHWC inside like a 2-D network; any other one (a graph input or output, a
 * tensor another op reads) is reshaped by a Reshape view on the way in or out.
 */
import type { Graph, Node } from '../ir/graph.ts';
import { cloneGraph, isConstant, tensorOf, uniqueName } from '../ir/graph.ts';

const isLifted = (node: Node) => node.attrs.window_rank === 1;
const to4d = (shape: readonly number[]) => [shape[0]!, shape[1]!, 1, shape[2]!];

export function lift1d(input: Graph): Graph {
  if (!input.nodes.some(isLifted)) return input;
  const graph = cloneGraph(input);
  const api = new Set([...graph.inputs, ...graph.outputs]);
  // Where each tensor is used: as a lifted node's activation (input 0 / output 0), or otherwise.
  const usedElsewhere = new Set<string>();
  for (const node of graph.nodes) {
    node.inputs.forEach((name, i) => (isLifted(node) && i === 0 ? undefined : usedElsewhere.add(name)));
    node.outputs.forEach((name, i) => (isLifted(node) && i === 0 ? undefined : usedElsewhere.add(name)));
  }
  const inPlace = (name: string) => !api.has(name) && !usedElsewhere.has(name) && !isConstant(graph, name);

  const liftedNames = new Map<string, string>(); // rank-3 tensor → its 4-D twin
  const reshape = (from: string, to: string): Node => ({
    name: `${to}_reshape`,
    op: 'Reshape',
    inputs: [from],
    outputs: [to],
    attrs: { shape: [...tensorOf(graph, to).shape], allowzero: 0 },
  });
  const twin = (name: string): string => {
    const t = tensorOf(graph, name);
    const twinName = uniqueName(graph, `${name}_2d`);
    graph.tensors.set(twinName, { ...t, name: twinName, shape: to4d(t.shape) });
    liftedNames.set(name, twinName);
    return twinName;
  };

  const nodes: Node[] = [];
  for (const node of graph.nodes) {
    if (!isLifted(node)) {
      nodes.push(node);
      continue;
    }
    const x = node.inputs[0]!;
    const y = node.outputs[0]!;
    if (inPlace(x)) {
      const t = tensorOf(graph, x);
      if (t.shape.length === 3) t.shape = to4d(t.shape);
    } else if (liftedNames.has(x)) {
      node.inputs[0] = liftedNames.get(x)!;
    } else if (isConstant(graph, x)) {
      node.inputs[0] = twin(x); // a constant twin needs no Reshape node
    } else {
      node.inputs[0] = twin(x);
      nodes.push(reshape(x, node.inputs[0]));
    }
    nodes.push(node);
    if (inPlace(y)) {
      const t = tensorOf(graph, y);
      t.shape = to4d(t.shape);
    } else {
      node.outputs[0] = twin(y);
      nodes.push(reshape(node.outputs[0], y));
    }
  }
  graph.nodes = nodes;
  return graph;
}
