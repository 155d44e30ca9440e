/**
 * Layout: moves ops onto the NHWC side of NCHW ↔ NHWC Transposes, so that the pairs cancel.
 *
 * Conv and max pool are NHWC in the IR. The ONNX frontend runs them between a Transpose to NHWC
 * and one back to NCHW; TFLite's NHWC models need neither. This pass defers every Transpose back
 * to NCHW: its output becomes a pending name for bytes that an NHWC tensor, its twin, already
 * holds. An op that can run on NHWC ('any' and 'permutable', see LayoutKind) and reads pending
 * names runs on their twins instead, and its own output is pending in turn; a Transpose to NHWC of
 * a pending name is its twin, and runs no code. Any other reader of a pending name, and every graph
 * output, gets the Transpose back where it is first needed, once. Transposes that only move size-1
 * axes are free views later.
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
  const apiTensors = new Set([...graph.inputs, ...graph.outputs]);
  const twins = new Map<string, string>(); // NCHW name → the NHWC tensor that holds its bytes
  const pending = new Set<string>(); // NCHW names whose own tensor is not written (yet)
  const replaced = new Map<string, string>(); // a cancelled Transpose's output → the tensor that holds it
  const produced = new Set<string>(); // tensors written by the nodes scheduled so far
  const scheduled: Node[] = [];
  const isActivation4d = (name: string) => name !== '' && !isConstant(graph, name) && tensorOf(graph, name).shape.length === 4;

  /** A Transpose between NCHW and NHWC (perm `to`) that only reorders: no requantization (the QDQ form), same type. */
  const isLayoutTranspose = (node: Node, to: number[]): boolean => {
    if (node.op !== 'Transpose' || !isActivation4d(node.inputs[0]!) || !samePerm(node.attrs.perm as number[], to)) return false;
    const [x, y] = [tensorOf(graph, node.inputs[0]!), tensorOf(graph, node.outputs[0]!)];
    return x.dtype === y.dtype && sameQuantization(x.quant, y.quant);
  };

  const transposeNode = (from: string, to: string, perm: number[]): Node => ({
    name: `${to}_transpose`,
    op: 'Transpose',
    inputs: [from],
    outputs: [to],
    attrs: { perm },
  });
  const schedule = (node: Node): void => {
    scheduled.push(node);
    node.outputs.forEach((o) => produced.add(o));
  };
  /** The NHWC form of a 4-D activation: its twin, or a Transpose to NHWC made now (once per tensor). */
  const nhwcOf = (name: string): string => {
    const existing = twins.get(name);
    if (existing) return existing;
    const twin = uniqueName(graph, `${name}_nhwc`);
    graph.tensors.set(twin, permuted(tensorOf(graph, name), twin, TO_NHWC));
    twins.set(name, twin);
    schedule(transposeNode(name, twin, TO_NHWC));
    return twin;
  };
  /** The tensor itself, written now from its twin if it was pending. */
  const nchwOf = (name: string): string => {
    if (pending.delete(name)) schedule(transposeNode(twins.get(name)!, name, TO_NCHW));
    return name;
  };
  /** The output of a node that runs on NHWC: a new twin, pending its NCHW name. */
  const produceNhwc = (name: string): string => {
    const twin = uniqueName(graph, `${name}_nhwc`);
    graph.tensors.set(twin, permuted(tensorOf(graph, name), twin, TO_NHWC));
    twins.set(name, twin);
    pending.add(name);
    return twin;
  };
  /** The twin takes the name `to` (a graph output the model transposes back to NHWC itself). */
  const renameTwin = (twin: string, to: string): void => {
    for (const n of scheduled) {
      n.inputs = n.inputs.map((t) => (t === twin ? to : t));
      n.outputs = n.outputs.map((t) => (t === twin ? to : t));
    }
    for (const [k, v] of twins) if (v === twin) twins.set(k, to);
    replaced.set(twin, to);
    produced.add(to);
    graph.tensors.delete(twin);
  };

  /** Cancels a layout Transpose against the twins; false when it has to run. */
  const cancels = (node: Node): boolean => {
    const [from, to] = [node.inputs[0]!, node.outputs[0]!];
    if (isLayoutTranspose(node, TO_NCHW)) {
      // Deferred: `to` is pending, and its bytes are `from`'s.
      twins.set(to, nchwOf(from));
      pending.add(to);
      return true;
    }
    if (!isLayoutTranspose(node, TO_NHWC)) return false;
    if (!apiTensors.has(to)) {
      replaced.set(to, nhwcOf(from));
      return true;
    }
    const twin = twins.get(from);
    if (twin !== undefined && pending.has(from) && produced.has(twin) && !apiTensors.has(twin)) {
      renameTwin(twin, to);
      return true;
    }
    return false;
  };

  // 'permutable' nodes that should run on NHWC although nothing they read is pending: their output
  // goes on, directly or through other such nodes, to a Transpose to NHWC (ONNX's conv after a Pad).
  const feedsNhwc = new Set<Node>();
  const readers = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    for (const name of node.inputs) {
      // Pushed in place: copying the list per reader is quadratic in a constant every node reads.
      const list = readers.get(name);
      if (list) list.push(node);
      else readers.set(name, [node]);
    }
  }
  for (const node of [...graph.nodes].reverse()) {
    if (layoutKind(node, graph) !== 'permutable') continue;
    const next = node.outputs.filter(isActivation4d).flatMap((o) => readers.get(o) ?? []);
    if (next.some((n) => isLayoutTranspose(n, TO_NHWC) || feedsNhwc.has(n))) feedsNhwc.add(node);
  }

  // toNhwc rewrites a node's constants in place, so a constant another node reads too (whether
  // that one runs on NHWC or keeps the model's order) is first copied, from the original, for each
  // node that runs on NHWC; a constant only this node reads is rewritten as it is.
  const originals = new Map([...graph.tensors].filter(([, t]) => t.data));
  const ownConstants = (node: Node): void => {
    node.inputs = node.inputs.map((n) => {
      if (!originals.has(n) || (readers.get(n) ?? []).every((r) => r === node)) return n;
      const copy = uniqueName(graph, n);
      graph.tensors.set(copy, { ...originals.get(n)!, name: copy });
      return copy;
    });
  };

  for (const node of graph.nodes) {
    node.inputs = node.inputs.map((n) => replaced.get(n) ?? n);
    if (cancels(node)) continue;
    const kind = layoutKind(node, graph);
    const activations = node.inputs.filter(isActivation4d);
    const waiting = (name: string) => pending.has(name);
    const inNhwc =
      activations.length > 0 &&
      ((kind === 'any' && activations.every(waiting)) || (kind === 'permutable' && (activations.some(waiting) || feedsNhwc.has(node))));
    if (inNhwc) {
      node.inputs = node.inputs.map((n) => (isActivation4d(n) ? nhwcOf(n) : n));
      node.outputs = node.outputs.map((n) => (tensorOf(graph, n).shape.length === 4 ? produceNhwc(n) : n));
      const def = opDefinition(node.op);
      if (def.toNhwc) {
        ownConstants(node);
        def.toNhwc(node, graph);
      }
    } else {
      node.inputs = node.inputs.map((n) => (isActivation4d(n) ? nchwOf(n) : n));
    }
    schedule(node);
  }
  graph.outputs.forEach(nchwOf);
  graph.nodes = scheduled;

  // Tensors no node reads or writes any more (a cancelled Transpose's, an unwritten NCHW name) are gone.
  const used = new Set([...graph.inputs, ...graph.outputs, ...graph.nodes.flatMap((n) => [...n.inputs, ...n.outputs])]);
  for (const name of [...graph.tensors.keys()]) if (!used.has(name)) graph.tensors.delete(name);
  return graph;
}

function layoutKind(node: Node, graph: Graph) {
  const layout = opDefinition(node.op).layout;
  return typeof layout === 'function' ? layout(node, graph) : layout;
}
