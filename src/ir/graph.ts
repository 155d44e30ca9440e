/**
 * The typed graph every pass reads and writes. Tensors carry their quantization; nodes carry
 * only structural attributes plus the compile-time parameters their op computes once.
 */

export type DType = 'int8' | 'uint8' | 'int16' | 'int32' | 'int64' | 'float32';

export type TensorData = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array | BigInt64Array;

export interface Quantization {
  /** float32 scales: one per tensor, or one per slice along `axis`. */
  scale: number[];
  zeroPoint: number[];
  axis?: number;
}

export interface Tensor {
  name: string;
  dtype: DType;
  shape: number[];
  /** Present for constants (initializers); absent for activations. */
  data?: TensorData;
  quant?: Quantization;
  /** A graph output's element type as the model file declares it (ONNX), checked once types are inferred. */
  declaredDtype?: DType;
}

export type AttrValue = number | string | number[] | string[];

/** A node; `P` is its op's compile-time parameters (see PreparedNode and defineOp in src/ops/op.ts). */
export interface Node<P = unknown> {
  name: string;
  op: string;
  /** Tensor names; '' marks an absent optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
  /**
   * Compile-time parameters the op derives once (requantization constants, geometry), set by the
   * prepare-ops pass through the op's registry entry (src/ops/op.ts, defineOp) and read only there.
   */
  params?: P;
}

export interface Graph {
  name: string;
  tensors: Map<string, Tensor>;
  /** In execution order. */
  nodes: Node[];
  inputs: string[];
  outputs: string[];
}

export function tensorOf(graph: Graph, name: string): Tensor {
  const tensor = graph.tensors.get(name);
  if (!tensor) throw new Error(`internal: tensor '${name}' is not in the graph`);
  return tensor;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function dtypeBytes(dtype: DType): number {
  switch (dtype) {
    case 'int8':
    case 'uint8':
      return 1;
    case 'int16':
      return 2;
    case 'int32':
    case 'float32':
      return 4;
    case 'int64':
      return 8;
  }
}

/** The [min, max] of a quantized storage type (int8, uint8, int16); undefined for any other type. */
export function quantizedRange(dtype: DType): [number, number] | undefined {
  if (dtype === 'int8') return [-128, 127];
  if (dtype === 'uint8') return [0, 255];
  if (dtype === 'int16') return [-32768, 32767];
  return undefined;
}

export function tensorBytes(tensor: Tensor): number {
  return elementCount(tensor.shape) * dtypeBytes(tensor.dtype);
}

export function isConstant(graph: Graph, name: string): boolean {
  return name !== '' && graph.tensors.get(name)?.data !== undefined;
}

/** Deep enough copy for passes: nodes, tensor records and lists are fresh; constant buffers are shared. */
export function cloneGraph(graph: Graph): Graph {
  const tensors = new Map<string, Tensor>();
  for (const [name, t] of graph.tensors) {
    tensors.set(name, {
      ...t,
      shape: [...t.shape],
      quant: t.quant && { ...t.quant, scale: [...t.quant.scale], zeroPoint: [...t.quant.zeroPoint] },
    });
  }
  return {
    name: graph.name,
    tensors,
    nodes: graph.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attrs: { ...n.attrs } })),
    inputs: [...graph.inputs],
    outputs: [...graph.outputs],
  };
}

/** A fresh tensor name derived from `base` that the graph does not use yet. */
export function uniqueName(graph: Graph, base: string): string {
  if (!graph.tensors.has(base)) return base;
  for (let i = 1; ; i++) {
    const candidate = `${base}_${i}`;
    if (!graph.tensors.has(candidate)) return candidate;
  }
}

export function producerOf(graph: Graph, name: string): Node | undefined {
  return graph.nodes.find((n) => n.outputs.includes(name));
}

export function consumersOf(graph: Graph, name: string): Node[] {
  return graph.nodes.filter((n) => n.inputs.includes(name));
}
