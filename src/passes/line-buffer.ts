/**
 * Line buffering (issue 12): a residual block of two 3x3 convolutions (stride 1, padding 1, one
 * group, no weight zero point: the dense kernel) whose sum with the block's input is the only use
 * of either conv's output becomes one ResidualRows node, run row by row: it never holds either
 * conv's whole output (src/ops/residual-rows). Not under --optimize time, which runs every layer
 * apart. Runs before prepare-ops, which prepares the block's nodes through it.
 */
import type { Graph, Node } from '../ir/graph.ts';
import { cloneGraph, isConstant, tensorOf } from '../ir/graph.ts';
import type { CompileOptions } from '../ops/op.ts';
import { convVariant } from '../ops/qlinear-conv/definition.ts';

export function lineBuffer(input: Graph, options: CompileOptions): Graph {
  if ((options.optimize ?? 'balanced') === 'time' || options.lineBuffer === false) return input;
  const graph = cloneGraph(input);
  const readers = new Map<string, number>();
  for (const node of graph.nodes) for (const name of node.inputs) if (name !== '' && !isConstant(graph, name)) readers.set(name, (readers.get(name) ?? 0) + 1);
  const producer = new Map(graph.nodes.flatMap((node) => node.outputs.map((name) => [name, node] as const)));
  const fused = new Map<Node, Node>();
  const absorbed = new Set<Node>();
  for (const add of graph.nodes) {
    const block = residualBlock(add, graph, readers, producer);
    if (!block || absorbed.has(block.first) || absorbed.has(block.second)) continue;
    const { first, second } = block;
    absorbed.add(first).add(second);
    const stored = (n: Node) => JSON.stringify({ name: n.name, op: n.op, inputs: n.inputs, outputs: n.outputs, attrs: n.attrs });
    fused.set(add, {
      name: `${first.name}+${second.name}+${add.name}`,
      op: 'ResidualRows',
      inputs: [first.inputs[0]!],
      outputs: [add.outputs[0]!],
      attrs: { first: stored(first), second: stored(second), add: stored(add) },
    });
  }
  graph.nodes = graph.nodes.filter((n) => !absorbed.has(n)).map((n) => fused.get(n) ?? n);
  return graph;
}

/** The two convs of a residual block ending at `add`, if it is one the row kernel runs. */
function residualBlock(add: Node, graph: Graph, readers: Map<string, number>, producer: Map<string, Node>): { first: Node; second: Node } | undefined {
  if (add.op !== 'QLinearAdd' || add.inputs.length !== 2) return undefined;
  const rowConv = (n: Node | undefined): n is Node =>
    n !== undefined &&
    n.op === 'QLinearConv' &&
    convVariant(n, graph) === 'dense' &&
    tensorOf(graph, n.inputs[0]!).shape[0] === 1 &&
    (n.attrs.kernel_shape as number[]).join() === '3,3' &&
    (n.attrs.strides as number[]).join() === '1,1' &&
    (n.attrs.dilations as number[]).join() === '1,1' &&
    (n.attrs.pads as number[]).join() === '1,1,1,1';
  for (const [skip, branch] of [add.inputs, [...add.inputs].reverse()] as [string, string][]) {
    const second = producer.get(branch);
    if (!rowConv(second)) continue;
    const first = producer.get(second.inputs[0]!);
    if (!rowConv(first) || first.inputs[0] !== skip) continue;
    const same = (a: string, b: string) => tensorOf(graph, a).shape.join() === tensorOf(graph, b).shape.join();
    if (!same(skip, branch) || !same(skip, add.outputs[0]!)) continue;
    const single = (name: string, count: number) => readers.get(name) === count && !graph.outputs.includes(name);
    if (!single(first.outputs[0]!, 1) || !single(second.outputs[0]!, 1) || !single(skip, 2)) continue;
    return { first, second };
  }
  return undefined;
}
