/**
 * uint8 → int8: every uint8 tensor becomes int8 with value - 128 and zero point - 128, which is
 * exact. Graph inputs and outputs keep their uint8 type at the API: a ConvertUint8 node sits
 * between the API tensor and the int8 body. An activation clamp (attrs.clamp, in its output's
 * storage type) on a uint8 output shifts with the bytes.
 */
import type { Graph, Node, Tensor } from '../ir/graph.ts';
import { cloneGraph, uniqueName } from '../ir/graph.ts';
import { clampAttr } from '../ops/common/activation.ts';

function toInt8(tensor: Tensor): Tensor {
  const quant = tensor.quant && { ...tensor.quant, zeroPoint: tensor.quant.zeroPoint.map((z) => z - 128) };
  const data = tensor.data && Int8Array.from(tensor.data as Uint8Array, (v) => v - 128);
  return { ...tensor, dtype: 'int8', quant, ...(data ? { data } : {}) };
}

export function uint8ToInt8(input: Graph): Graph {
  const graph = cloneGraph(input);
  const apiInputs = new Set(graph.inputs);
  const apiOutputs = new Set(graph.outputs);
  const prologue: Node[] = [];
  const epilogue: Node[] = [];
  const renames = new Map<string, string>();

  for (const node of graph.nodes) {
    const bounds = clampAttr(node);
    if (bounds && graph.tensors.get(node.outputs[0]!)?.dtype === 'uint8') node.attrs = { ...node.attrs, clamp: [bounds[0] - 128, bounds[1] - 128] };
  }

  for (const tensor of [...graph.tensors.values()]) {
    if (tensor.dtype !== 'uint8') continue;
    if (!apiInputs.has(tensor.name) && !apiOutputs.has(tensor.name)) {
      graph.tensors.set(tensor.name, toInt8(tensor));
      continue;
    }
    // The API tensor keeps its name and uint8 type; the body reads or writes an int8 twin.
    const inner = uniqueName(graph, `${tensor.name}_s8`);
    graph.tensors.set(inner, { ...toInt8(tensor), name: inner });
    renames.set(tensor.name, inner);
    if (apiInputs.has(tensor.name)) {
      prologue.push({ name: `${inner}_convert`, op: 'ConvertUint8', inputs: [tensor.name], outputs: [inner], attrs: { to: 'int8' } });
    } else {
      epilogue.push({ name: `${inner}_convert`, op: 'ConvertUint8', inputs: [inner], outputs: [tensor.name], attrs: { to: 'uint8' } });
    }
  }
  if (renames.size === 0) return graph;
  for (const node of graph.nodes) {
    node.inputs = node.inputs.map((n) => renames.get(n) ?? n);
    node.outputs = node.outputs.map((n) => renames.get(n) ?? n);
  }
  graph.nodes = [...prologue, ...graph.nodes, ...epilogue];
  return graph;
}
