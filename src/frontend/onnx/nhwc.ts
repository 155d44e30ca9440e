/**
 * ONNX's NCHW → the IR's NHWC, once, at import (the last step of the ONNX frontend).
 *
 * The IR's convolutions and max pools are NHWC, with weights in the order their kernels read. Here
 * each one from the model runs between a Transpose to NHWC and one back to NCHW, and its OIHW
 * weight is reordered; the layout pass later cancels the Transposes between consecutive NHWC ops.
 * A window over one spatial axis ([N, C, L], attrs.window_rank = 1, whose attributes already
 * describe the 2-D window over [1, L]) is first lifted to [N, C, 1, L] by an Unsqueeze and dropped
 * back by a Squeeze; a Squeeze straight into another lifted op's Unsqueeze cancels, so a chain of
 * 1-D layers stays NHWC like a 2-D one. Average pools keep their NCHW attributes (the layout pass
 * moves them) but are lifted the same way.
 */
import type { Graph, Node, Tensor, TensorData } from '../../ir/graph.ts';
import { tensorOf, uniqueName } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';

const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];

/** NCHW ops the IR runs in NHWC, and whether their weight (input 1) may take the depthwise order. */
const NHWC_OPS: ReadonlyMap<string, { weight: 'none' | 'ohwi' | 'ohwi-or-depthwise' }> = new Map([
  ['QLinearConv', { weight: 'ohwi-or-depthwise' }],
  ['Conv16x8', { weight: 'ohwi-or-depthwise' }],
  ['ConvInteger', { weight: 'ohwi' }],
  ['MaxPool', { weight: 'none' }],
] as const);
const LIFTED_ONLY = new Set(['QLinearAveragePool']);

export function nchwToNhwc(graph: Graph): void {
  const readers = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    for (const name of node.inputs) {
      // Pushed in place: copying the list per reader is quadratic in a constant every node reads.
      const list = readers.get(name);
      if (list) list.push(node);
      else readers.set(name, [node]);
    }
  }
  const reordered = new Set<string>();
  const originals = new Map<string, Tensor>(); // a weight as the model gave it, before its first reordering
  const lifts = new Set<Node>();
  const drops = new Set<Node>();

  const newTensor = (base: string, like: Tensor): string => {
    const name = uniqueName(graph, base);
    graph.tensors.set(name, { name, dtype: like.dtype, shape: [], ...(like.quant ? { quant: like.quant } : {}) });
    return name;
  };
  const view = (op: 'Unsqueeze' | 'Squeeze', name: string, from: string, to: string, axis: number): Node => ({ name, op, inputs: [from], outputs: [to], attrs: { axes: [axis] } });
  // Where a wrong input rank shows first, the error names the model's node.
  const label = (node: Node) => `node '${node.name}' (${node.op})`;

  const nodes: Node[] = [];
  for (const node of graph.nodes) {
    const nhwc = NHWC_OPS.get(node.op);
    const lifted = node.attrs.window_rank === 1 && (nhwc !== undefined || LIFTED_ONLY.has(node.op));
    if (!nhwc && !lifted) {
      nodes.push(node);
      continue;
    }
    const [x, y] = [node.inputs[0]!, node.outputs[0]!];
    const before: Node[] = [];
    const after: Node[] = [];
    let [xIn, yOut] = [x, y];
    if (lifted) {
      delete node.attrs.window_rank;
      // [N, C, L] → [N, C, 1, L]; a channels-last pool's [N, L, C] → [N, 1, L, C].
      const axis = node.attrs.channels_last === 1 ? 1 : 2;
      xIn = newTensor(`${x}_2d`, tensorOf(graph, x));
      const lift = view('Unsqueeze', `${node.name}_lift`, x, xIn, axis);
      lift.attrs.lift_of = label(node);
      lifts.add(lift);
      before.push(lift);
      yOut = newTensor(`${y}_2d`, tensorOf(graph, y));
      const drop = view('Squeeze', `${node.name}_drop`, yOut, y, axis);
      drops.add(drop);
      after.push(drop);
    }
    if (nhwc) {
      const xNhwc = newTensor(`${xIn}_nhwc_in`, tensorOf(graph, x));
      before.push({ name: `${node.name}_to_nhwc`, op: 'Transpose', inputs: [xIn], outputs: [xNhwc], attrs: { perm: TO_NHWC, layout_of: label(node) } });
      const yNhwc = newTensor(`${yOut}_nhwc`, tensorOf(graph, y));
      after.unshift({ name: `${yOut}_transpose`, op: 'Transpose', inputs: [yNhwc], outputs: [yOut], attrs: { perm: TO_NCHW } });
      [xIn, yOut] = [xNhwc, yNhwc];
      if (nhwc.weight !== 'none') node.inputs[1] = reorderWeight(node, nhwc.weight === 'ohwi-or-depthwise');
    }
    node.inputs[0] = xIn;
    node.outputs[0] = yOut;
    nodes.push(...before, node, ...after);
  }
  graph.nodes = cancelLiftPairs(graph, nodes, lifts, drops);

  /** The weight in the kernel's order: a copy when another node reads it too. */
  function reorderWeight(node: Node, depthwiseOrder: boolean): string {
    const w = originals.get(node.inputs[1]!) ?? tensorOf(graph, node.inputs[1]!);
    originals.set(w.name, w);
    if (!w.data) throw new UserError(`node '${node.name}' (${node.op}): the weight '${w.name}' must be a constant initializer`);
    if (w.shape.length !== 3 && w.shape.length !== 4) throw new UserError(`node '${node.name}' (${node.op}): the weight [${w.shape}] must be 3-D or 4-D`);
    const [o, i, kh, kw] = (w.shape.length === 3 ? [w.shape[0], w.shape[1], 1, w.shape[2]] : w.shape) as [number, number, number, number];
    const depthwise = depthwiseOrder && i === 1 && (node.attrs.group as number) > 1;
    const shared = reordered.has(w.name) || (readers.get(w.name) ?? []).some((r) => r !== node && !NHWC_OPS.has(r.op));
    const name = shared ? uniqueName(graph, w.name) : w.name;
    reordered.add(name);
    const src = w.data as Exclude<TensorData, BigInt64Array>;
    const dst = new (src.constructor as new (length: number) => typeof src)(src.length);
    // OIHW → OHWI, or → [1][k_h][k_w][out_c] for a depthwise layer.
    for (let oc = 0; oc < o; oc++)
      for (let ic = 0; ic < i; ic++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++) {
            const to = depthwise ? (ky * kw + kx) * o + oc : ((oc * kh + ky) * kw + kx) * i + ic;
            dst[to] = src[((oc * i + ic) * kh + ky) * kw + kx]!;
          }
    const quant = w.quant && w.quant.axis !== undefined ? { ...w.quant, axis: depthwise ? 3 : 0 } : w.quant;
    graph.tensors.set(name, { ...w, name, shape: depthwise ? [1, kh, kw, o] : [o, kh, kw, i], data: dst, ...(quant ? { quant } : {}) });
    return name;
  }
}

/** A Squeeze that drops the axis the next lifted op's Unsqueeze adds back: both go, unless the 3-D tensor is read elsewhere. */
function cancelLiftPairs(graph: Graph, nodes: Node[], lifts: Set<Node>, drops: Set<Node>): Node[] {
  const dropOf = new Map([...drops].map((d) => [d.outputs[0]!, d]));
  const replaced = new Map<string, string>();
  const kept = nodes.filter((node) => {
    const drop = lifts.has(node) ? dropOf.get(node.inputs[0]!) : undefined;
    if (!drop || (drop.attrs.axes as number[])[0] !== (node.attrs.axes as number[])[0]) return true;
    replaced.set(node.outputs[0]!, drop.inputs[0]!);
    graph.tensors.delete(node.outputs[0]!);
    return false;
  });
  for (const node of kept) node.inputs = node.inputs.map((n) => replaced.get(n) ?? n);
  const read = new Set([...graph.outputs, ...kept.flatMap((n) => n.inputs)]);
  return kept.filter((node) => {
    if (!drops.has(node) || read.has(node.outputs[0]!)) return true;
    graph.tensors.delete(node.outputs[0]!);
    return false;
  });
}
