/** Small helpers shared by the ops' reference semantics and emission. */
import type { DType, Graph, Node, Quantization, Tensor, TensorData } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { Value } from '../op.ts';

export function allocate(dtype: DType, count: number): TensorData {
  switch (dtype) {
    case 'int8':
      return new Int8Array(count);
    case 'uint8':
      return new Uint8Array(count);
    case 'int16':
      return new Int16Array(count);
    case 'int32':
      return new Int32Array(count);
    case 'float32':
      return new Float32Array(count);
    case 'int64':
      return new BigInt64Array(count);
  }
}

export function outputValue(graph: Graph, node: Node, index = 0): Value {
  const t = tensorOf(graph, node.outputs[index]!);
  return { dtype: t.dtype, shape: [...t.shape], data: allocate(t.dtype, t.shape.reduce((a, b) => a * b, 1)) };
}

export function quantOf(graph: Graph, node: Node, name: string, role: string): Quantization {
  const q = tensorOf(graph, name).quant;
  if (!q) throw new UserError(`node '${node.name}' (${node.op}): ${role} '${name}' has no quantization`);
  return q;
}

/** The one zero point of a per-tensor quantized activation. */
export function perTensorZeroPoint(graph: Graph, node: Node, name: string, role: string): number {
  const q = quantOf(graph, node, name, role);
  if (q.zeroPoint.length !== 1) throw new UserError(`node '${node.name}' (${node.op}): ${role} '${name}' must be quantized per tensor`);
  return q.zeroPoint[0]!;
}

export function constantData(graph: Graph, name: string): TensorData {
  const data = tensorOf(graph, name).data;
  if (!data) throw new Error(`internal: '${name}' is not a constant`);
  return data;
}

export function requireDtype(node: Node, tensor: Tensor, allowed: DType[], role: string): void {
  if (!allowed.includes(tensor.dtype)) {
    throw new UserError(`node '${node.name}' (${node.op}): ${role} '${tensor.name}' is ${tensor.dtype}; supported: ${allowed.join(', ')}`);
  }
}

/** Expands a per-tensor or per-channel list to one entry per channel. */
export function perChannel(values: readonly number[], channels: number): number[] {
  return values.length === 1 ? new Array<number>(channels).fill(values[0]!) : [...values];
}
