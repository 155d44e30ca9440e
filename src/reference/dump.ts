/**
 * Every intermediate tensor of a reference run, as files a user can compare with another
 * runtime's intermediates (ORT's or TFLM's): one raw little-endian file per tensor and an index.
 * Tensors are as tinygen computes them: 4-D activations in NHWC, and a uint8 model's tensors as
 * int8 (value − 128, zero point − 128); the index says so per tensor.
 */
import type { Graph } from '../ir/graph.ts';
import { tensorOf } from '../ir/graph.ts';
import type { Value } from '../ops/op.ts';
import { valuesToRecord } from '../validate/records.ts';

export interface DumpEntry {
  step: number;
  node: string;
  op: string;
  tensor: string;
  file: string;
  dtype: string;
  shape: number[];
  scale?: number[];
  zeroPoint?: number[];
}

/** A file name for a tensor: its step first (so files sort in execution order), then a safe form of its name. */
function fileName(step: number, tensor: string): string {
  const safe = tensor.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  return `${String(step).padStart(4, '0')}_${safe}.bin`;
}

/** File name → bytes for one record: each node's outputs, and index.json describing them. */
export function dumpIntermediates(graph: Graph, values: ReadonlyMap<string, Value>): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const entries: DumpEntry[] = [];
  graph.nodes.forEach((node, step) => {
    for (const tensor of node.outputs) {
      const value = values.get(tensor);
      if (!value) continue;
      const file = fileName(step, tensor);
      const quant = tensorOf(graph, tensor).quant;
      files.set(file, valuesToRecord([value]));
      entries.push({ step, node: node.name, op: node.op, tensor, file, dtype: value.dtype, shape: [...value.shape], ...(quant ? { scale: quant.scale, zeroPoint: quant.zeroPoint } : {}) });
    }
  });
  const index = {
    note: "tinygen's reference, layer by layer: 4-D activations are NHWC; a uint8 model computes in int8 (value - 128, zero point - 128); raw little-endian bytes",
    tensors: entries,
  };
  files.set('index.json', new TextEncoder().encode(`${JSON.stringify(index, null, 2)}\n`));
  return files;
}
