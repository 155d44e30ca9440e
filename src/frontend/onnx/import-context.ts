/** What an op's ONNX importer sees of the node, and what it may do to the graph under construction. */
import type onnxProto from 'onnx-proto';
import type { DType, Graph, Node, Quantization, Tensor } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { int64ToNumber } from './tensor-proto.ts';

type NodeProto = onnxProto.onnx.INodeProto;

export class OnnxNodeView {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: string[];
  readonly outputs: string[];

  constructor(
    private readonly proto: NodeProto,
    index: number,
  ) {
    this.opType = proto.opType ?? '';
    this.domain = proto.domain === 'ai.onnx' ? '' : (proto.domain ?? '');
    this.name = proto.name || `${this.opType}_${index}`;
    this.inputs = [...(proto.input ?? [])];
    this.outputs = [...(proto.output ?? [])];
  }

  /** The same node with other inputs and outputs (the QDQ fusion rewires a float op this way). */
  rewired(inputs: string[], outputs: string[]): OnnxNodeView {
    const view = new OnnxNodeView({ ...this.proto, name: this.name, input: inputs, output: outputs, attribute: this.proto.attribute ?? [] }, 0);
    view.source = this.original;
    return view;
  }

  private source?: OnnxNodeView;

  /** The node as the model has it (a rewired() view leads back to the model's own node). */
  get original(): OnnxNodeView {
    return this.source ?? this;
  }

  /** "node 'conv1' (QLinearConv)", for error messages. */
  get label(): string {
    return `node '${this.name}' (${this.opType})`;
  }

  private attribute(name: string) {
    return (this.proto.attribute ?? []).find((a) => a.name === name);
  }

  int(name: string, fallback: number): number {
    const a = this.attribute(name);
    return a ? int64ToNumber(a.i) : fallback;
  }

  ints(name: string, fallback: number[]): number[] {
    const a = this.attribute(name);
    return a ? (a.ints ?? []).map(int64ToNumber) : fallback;
  }

  string(name: string, fallback: string): string {
    const a = this.attribute(name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.attribute(name);
    return a ? Math.fround(a.f ?? 0) : fallback;
  }

  floats(name: string, fallback: number[]): number[] {
    const a = this.attribute(name);
    return a ? (a.floats ?? []).map((v) => Math.fround(v)) : fallback;
  }

  has(name: string): boolean {
    return this.attribute(name) !== undefined;
  }

  /** Input `index`, or '' when absent. */
  input(index: number): string {
    return this.inputs[index] ?? '';
  }

  requireInputs(count: number): void {
    if (this.inputs.length < count || this.inputs.slice(0, count).some((n) => n === '')) {
      throw new UserError(`${this.label}: needs ${count} inputs, has ${this.inputs.filter((n) => n !== '').length}`);
    }
  }
}

/** The ONNX graph under import as the model has it, for importers that must see a node's neighbours. */
export interface OnnxTopology {
  nodes: readonly OnnxNodeView[];
  graphOutputs: ReadonlySet<string>;
}

export class ImportContext {
  /** The model's nodes and graph outputs (set by the loader; absent when a context is built by hand). */
  topology?: OnnxTopology;

  /** opsets: the model's opset_import, domain ('' for ai.onnx) → version. */
  constructor(
    readonly graph: Graph,
    private readonly opsets: ReadonlyMap<string, number> = new Map(),
  ) {}

  /** The model's opset version for a domain ('' is ai.onnx), or undefined when it imports none. */
  opset(domain: string): number | undefined {
    return this.opsets.get(domain);
  }

  /** The constant behind `name`; scales, zero points and weights must be known at compile time. */
  constant(node: OnnxNodeView, name: string, role: string): Tensor {
    const tensor = this.graph.tensors.get(name);
    if (!tensor?.data) {
      throw new UserError(`${node.label}: ${role} '${name}' must be a constant initializer`);
    }
    return tensor;
  }

  /** The zero point's element type behind each Quantization made here, for annotate's check. */
  private readonly zeroPointTypes = new WeakMap<Quantization, { name: string; dtype: DType }>();

  /** Quantization from a (scale, zero point) pair of constant inputs; a missing zero point is 0. */
  quantization(node: OnnxNodeView, scaleName: string, zeroPointName: string, role: string, axis?: number): Quantization {
    const scale = this.constant(node, scaleName, `${role} scale`);
    if (scale.dtype !== 'float32') throw new UserError(`${node.label}: ${role} scale '${scaleName}' must be float32`);
    const scales = Array.from(scale.data as Float32Array);
    const zeroPoint = zeroPointName === '' ? undefined : this.constant(node, zeroPointName, `${role} zero point`);
    const zeroPoints = zeroPoint ? Array.from(zeroPoint.data as Int8Array, Number) : scales.map(() => 0);
    if (zeroPoints.length !== scales.length) {
      throw new UserError(`${node.label}: ${role} has ${scales.length} scales but ${zeroPoints.length} zero points`);
    }
    if (scales.some((s) => !(s > 0) || !Number.isFinite(s))) throw new UserError(`${node.label}: ${role} scale must be positive and finite`);
    const quant: Quantization = scales.length > 1 || axis !== undefined ? { scale: scales, zeroPoint: zeroPoints, axis } : { scale: scales, zeroPoint: zeroPoints };
    if (zeroPoint) this.zeroPointTypes.set(quant, { name: zeroPointName, dtype: zeroPoint.dtype });
    return quant;
  }

  /** The element type of a zero-point constant decides a quantized tensor's type; default uint8 (ONNX). */
  zeroPointType(node: OnnxNodeView, zeroPointName: string): DType {
    if (zeroPointName === '') return 'uint8';
    return this.constant(node, zeroPointName, 'zero point').dtype;
  }

  /** Per-channel quantization along `axis` (one scale: as it is), keeping what annotate checks. */
  alongAxis(quant: Quantization, axis: number): Quantization {
    if (quant.scale.length <= 1) return quant;
    const copy = { ...quant, axis };
    const zeroPoint = this.zeroPointTypes.get(quant);
    if (zeroPoint) this.zeroPointTypes.set(copy, zeroPoint);
    return copy;
  }

  /** Attaches quantization to an existing tensor, refusing to contradict an earlier annotation. */
  annotate(node: OnnxNodeView, tensorName: string, quant: Quantization): void {
    const tensor = this.graph.tensors.get(tensorName);
    if (!tensor) return;
    // A zero point has the type of the tensor it quantizes (ONNX: both are T). Checked where the
    // tensor's type is already known to be 8-bit (a graph input, a constant, a quantized op's
    // output); an op's float32-declared output gets its type later, and check-quantization then
    // holds its zero points to its range.
    const zeroPoint = this.zeroPointTypes.get(quant);
    if (zeroPoint && (tensor.dtype === 'int8' || tensor.dtype === 'uint8') && zeroPoint.dtype !== tensor.dtype) {
      throw new UserError(`${node.label}: tensor '${tensorName}' is ${tensor.dtype} but its zero point '${zeroPoint.name}' is ${zeroPoint.dtype}: a zero point has its tensor's type`);
    }
    if (tensor.quant && !sameQuant(tensor.quant, quant)) {
      throw new UserError(`${node.label}: tensor '${tensorName}' is used with two different quantizations`);
    }
    tensor.quant = quant;
  }

  /**
   * Registers an output tensor. Shape inference fills in its shape, and its type and
   * quantization too when the op derives them from its inputs.
   */
  declareOutput(name: string, dtype: DType = 'float32', quant?: Quantization): void {
    this.graph.tensors.set(name, { name, dtype, shape: [], quant });
  }
}

function sameQuant(a: Quantization, b: Quantization): boolean {
  return a.scale.length === b.scale.length && a.scale.every((s, i) => s === b.scale[i] && a.zeroPoint[i] === b.zeroPoint[i]);
}

/** How one ONNX (domain, op_type) becomes an IR node; src/frontend/onnx/registry.ts lists them all. */
export interface OnnxImport {
  domain: string;
  opType: string;
  /**
   * 'qoperator' (default): the ONNX node itself, scales and zero points among its inputs.
   * 'qdq': the float op at the centre of a DequantizeLinear → op → QuantizeLinear pattern. The
   * QDQ fusion (src/frontend/onnx/qdq/fuse.ts; the per-family QDQ forms beside it in src/frontend/onnx/qdq/)
   * hands over a node whose inputs are the quantized tensors behind the DequantizeLinears
   * (already annotated with their quantization; constant weights and biases stay constants) and
   * whose outputs are the QuantizeLinears' outputs
   * (already declared with their type and quantization). Inputs that were never quantized
   * (a Reshape's shape, a Clip's bounds) are passed through unchanged.
   *
   * 'float': a float32 op as it stands (Conv, Add, ... on float tensors). tinygen compiles
   * quantized models, so these are only used when float ops are allowed explicitly (the
   * conformance runner does, for ONNX's float tests); otherwise a float op is an error.
   */
  form?: 'qoperator' | 'qdq' | 'float';
  import(node: OnnxNodeView, ctx: ImportContext): Node;
}
