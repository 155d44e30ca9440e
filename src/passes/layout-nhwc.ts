/**
 * Layout: NCHW → NHWC. Spatial ops (conv, pools) run on NHWC twins of their 4-D tensors, and
 * convert their weights once, at compile time. Elementwise ops follow their input's layout.
 * Ops that need the model's own order, and the graph's outputs, get a Transpose back; graph
 * inputs get one forward. Transposes that only move size-1 axes are free views later.
 *
 * Models that are NHWC already (TFLite) reach the IR's NCHW view of a spatial op through a
 * Transpose to NCHW before it and one back to NHWC after it; both cancel here against the
 * NHWC twins, so no transpose runs and the API keeps the model's NHWC shapes.
 */
import type { Graph, Node, Tensor } from '../ir/graph.ts';
import { cloneGraph, isConstant, tensorOf, uniqueName } from '../ir/graph.ts';
import { opDefinition } from '../ops/registry.ts';
import { sameQuantization } from '../ops/common/requant-table.ts';

const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];

const samePerm = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

function permuted(tensor: Tensor, name: string, perm: number[]): Tensor {
  const quant = tensor.quant && { ...tensor.quant, ...(tensor.quant.axis !== undefined ? { axis: perm.indexOf(tensor.quant.axis) } : {}) };
  return { name, dtype: tensor.dtype, shape: perm.map((a) => tensor.shape[a]!), quant };
}

export function layoutNhwc(input: Graph): Graph {
  const graph = cloneGraph(input);
  const twins = new Map<string, string>(); // logical (NCHW) name → NHWC twin
  const logicalReady = new Set<string>(graph.inputs);
  const scheduled: Node[] = [];
  const isActivation4d = (name: string) => name !== '' && !isConstant(graph, name) && tensorOf(graph, name).shape.length === 4;

  const transposeNode = (from: string, to: string, perm: number[]): Node => ({
    name: `${to}_transpose`,
    op: 'Transpose',
    inputs: [from],
    outputs: [to],
    attrs: { perm },
  });

  const nhwcOf = (name: string): string => {
    const existing = twins.get(name);
    if (existing) return existing;
    const twin = uniqueName(graph, `${name}_nhwc`);
    graph.tensors.set(twin, permuted(tensorOf(graph, name), twin, TO_NHWC));
    twins.set(name, twin);
    scheduled.push(transposeNode(name, twin, TO_NHWC));
    return twin;
  };
  const logicalOf = (name: string): string => {
    if (!logicalReady.has(name)) {
      scheduled.push(transposeNode(twins.get(name)!, name, TO_NCHW));
      logicalReady.add(name);
    }
    return name;
  };
  // Twins this pass named: nothing outside the pass refers to them, so they may be renamed.
  const passTwins = new Set<string>();
  const produceNhwc = (name: string): string => {
    const twin = uniqueName(graph, `${name}_nhwc`);
    graph.tensors.set(twin, permuted(tensorOf(graph, name), twin, TO_NHWC));
    twins.set(name, twin);
    passTwins.add(twin);
    return twin;
  };
  const renameTwin = (from: string, to: string): void => {
    for (const n of scheduled) {
      n.inputs = n.inputs.map((t) => (t === from ? to : t));
      n.outputs = n.outputs.map((t) => (t === from ? to : t));
    }
    graph.tensors.delete(from);
  };
  /** Folds a Transpose between the model's NHWC tensors and the IR's NCHW ones into the twins; false if it must run. */
  const cancelsAgainstTwin = (node: Node): boolean => {
    if (node.op !== 'Transpose' || !isActivation4d(node.inputs[0]!)) return false;
    const perm = node.attrs.perm as number[];
    const [from, to] = [node.inputs[0]!, node.outputs[0]!];
    // A Transpose that requantizes (the QDQ form) is more than a reordering.
    const [x, y] = [tensorOf(graph, from), tensorOf(graph, to)];
    if (x.dtype !== y.dtype || !sameQuantization(x.quant, y.quant)) return false;
    if (samePerm(perm, TO_NCHW)) {
      // NHWC data viewed as NCHW: its NHWC twin is the data itself.
      twins.set(to, logicalOf(from));
      return true;
    }
    const twin = twins.get(from);
    if (samePerm(perm, TO_NHWC) && twin !== undefined && passTwins.has(twin) && !logicalReady.has(from)) {
      // Back to NHWC: the twin already holds these bytes; it takes the model's name.
      renameTwin(twin, to);
      passTwins.delete(twin);
      twins.set(from, to);
      logicalReady.add(to);
      return true;
    }
    return false;
  };

  // Weights shared by two spatial nodes are converted once per node, from the original.
  const originals = new Map([...graph.tensors].filter(([, t]) => t.data));
  const converted = new Set<string>();
  const ownConstants = (node: Node): void => {
    node.inputs = node.inputs.map((n) => {
      if (!converted.has(n)) return n;
      const copy = uniqueName(graph, n);
      graph.tensors.set(copy, { ...originals.get(n)!, name: copy });
      return copy;
    });
    node.inputs.filter((n) => isConstant(graph, n)).forEach((n) => converted.add(n));
  };

  for (const node of graph.nodes) {
    if (cancelsAgainstTwin(node)) continue;
    const def = opDefinition(node.op);
    const kind = typeof def.layout === 'function' ? def.layout(node, graph) : def.layout;
    const activations = node.inputs.filter(isActivation4d);
    const inNhwc = kind === 'spatial' || (kind === 'any' && activations.length > 0 && activations.every((a) => twins.has(a) && !logicalReady.has(a)));
    if (inNhwc) {
      node.inputs = node.inputs.map((n) => (isActivation4d(n) ? nhwcOf(n) : n));
      node.outputs = node.outputs.map((n) => (tensorOf(graph, n).shape.length === 4 ? produceNhwc(n) : (logicalReady.add(n), n)));
      if (def.toNhwc) {
        ownConstants(node);
        def.toNhwc(node, graph);
      }
    } else {
      node.inputs = node.inputs.map((n) => (isActivation4d(n) ? logicalOf(n) : n));
      node.outputs.forEach((n) => logicalReady.add(n));
    }
    scheduled.push(node);
  }
  for (const output of graph.outputs) logicalOf(output);
  graph.nodes = scheduled;

  // Logical tensors that were never materialized are gone from the graph.
  const used = new Set([...graph.inputs, ...graph.outputs, ...graph.nodes.flatMap((n) => [...n.inputs, ...n.outputs])]);
  for (const name of [...graph.tensors.keys()]) if (!used.has(name)) graph.tensors.delete(name);
  return graph;
}
