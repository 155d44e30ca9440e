/**
 * The state every TFLite operator importer shares: the file's tensors declared into the IR graph
 * (types, shapes, quantization, constant data), the walk over the operators with each one's
 * version checked, and the helpers for fused activations. load.ts gives it the operator table.
 */
import type { DType, Graph, Node, Quantization, TensorData } from '../../ir/graph.ts';
import { elementCount, dtypeBytes, quantizedRange, uniqueName } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { checkNodeCount } from '../limits.ts';
import { boundTensorData, type BoundValues } from '../bindings.ts';
import { roundHalfAway } from '../../numerics/requantize.ts';
import {
  ActivationFunctionType as Activation,
  BuiltinOperator,
  Operator,
  TensorType,
  TfliteModel,
  builtinOperatorName,
  operatorNameOf,
  type BuiltinOperatorName,
  type SubGraph,
  type TfliteBuffer,
  type TfliteTensor,
} from './schema.ts';

const SUPPORTED_TYPES = new Map<number, DType>([
  [TensorType.FLOAT32, 'float32'],
  [TensorType.INT32, 'int32'],
  [TensorType.INT64, 'int64'],
  [TensorType.INT8, 'int8'],
  [TensorType.INT16, 'int16'],
]);

const TENSOR_TYPE_NAMES = new Map(Object.entries(TensorType).map(([name, code]) => [code as number, name]));

/** One operator as the importers see it. */
export interface OperatorView {
  operator: Operator;
  /** The IR node name: the operator's code name and index, so errors lead back to the file. */
  name: string;
}

export type OperatorImporter = (op: OperatorView, importer: TfliteImporter) => Node[];

/** The operators an importer accepts: each one's importer and the highest version it takes. */
export type OperatorTable = Partial<Record<BuiltinOperatorName, { importer: OperatorImporter; maxVersion: number }>>;


export class TfliteImporter {
  readonly graph: Graph;
  private readonly subgraph: SubGraph;
  private readonly tensors: TfliteTensor[];
  private readonly buffers: TfliteBuffer[];
  /** TFLite tensor index → IR tensor name, for the tensors declared so far. */
  private readonly names = new Map<number, string>();

  constructor(
    private readonly model: TfliteModel,
    name: string,
    private readonly operators: OperatorTable,
    /** Graph inputs (by tensor name) bound to compile-time values, which then are constants. */
    private readonly bindings: BoundValues = new Map(),
  ) {
    const subgraphs = model.subgraphs;
    if (subgraphs.length === 0) throw new UserError('the model has no subgraphs');
    this.subgraph = subgraphs[0]!;
    this.tensors = this.subgraph.tensors;
    this.buffers = model.buffers;
    this.graph = { name, tensors: new Map(), nodes: [], inputs: [], outputs: [] };
  }

  run(): Graph {
    // TFLite's 16x8 mode has int16 activations and int8 weights; a float model has neither.
    if (!this.tensors.some((t) => t.type === TensorType.INT8 || t.type === TensorType.INT16)) {
      throw new UserError('a float model (no int8 or int16 tensors); tinygen compiles int8-quantized TFLite models (full-integer post-training quantization, or 16x8)');
    }
    for (const [i, index] of this.subgraph.inputs.entries()) {
      // Listed twice, it would become two API arguments of which only one is read.
      if (this.subgraph.inputs.indexOf(index) !== i) throw new UserError(`graph input ${index} is listed twice`);
      const bound = this.bindings.get(this.tensorAt(index).name);
      if (bound) {
        this.declare(index, 'bound graph input', bound);
        continue;
      }
      const name = this.declare(index, 'graph input');
      const tensor = this.graph.tensors.get(name)!;
      if (tensor.data) throw new UserError(`graph input '${name}' is a constant`);
      if (tensor.shape.some((d) => d <= 0)) throw new UserError(`graph input '${name}' has shape [${tensor.shape}]; tinygen needs static, non-empty shapes`);
      this.graph.inputs.push(name);
    }
    const inputNames = new Set(this.subgraph.inputs.map((index) => this.tensorAt(index).name));
    const unknown = [...this.bindings.keys()].find((name) => !inputNames.has(name));
    if (unknown !== undefined) throw new UserError(`'${unknown}' is bound to a value but is not a graph input (inputs: ${[...inputNames].join(', ')})`);
    if (this.graph.inputs.length === 0) throw new UserError('the model has no inputs');
    checkNodeCount(this.subgraph.operators.length);
    const codes = this.model.operatorCodes;
    this.subgraph.operators.forEach((operator, index) => {
      const code = codes[operator.opcodeIndex];
      if (!code) throw new UserError(`operator ${index}: opcode index ${operator.opcodeIndex} is out of range (${codes.length} operator codes)`);
      const opName = code.code === BuiltinOperator.CUSTOM ? `CUSTOM '${code.customCode}'` : builtinOperatorName(code.code);
      const label = `operator ${index} (${opName})`;
      const codeName = operatorNameOf(code.code);
      const support = codeName === undefined ? undefined : this.operators[codeName];
      if (!support) throw new UserError(`${label}: not supported yet; supported: ${Object.keys(this.operators).sort().join(', ')}`);
      const { importer, maxVersion } = support;
      if (code.version < 1 || code.version > maxVersion) throw new UserError(`${label}: version ${code.version} is not supported (up to ${maxVersion})`);
      try {
        this.graph.nodes.push(...importer({ operator, name: `${builtinOperatorName(code.code)}_${index}` }, this));
      } catch (err) {
        if (err instanceof UserError) throw new UserError(`${label}: ${err.message}`);
        throw err;
      }
    });
    for (const index of this.subgraph.outputs) {
      const name = this.names.get(index);
      if (name === undefined) throw new UserError(`graph output '${this.tensorAt(index).name}' is never produced`);
      this.graph.outputs.push(name);
    }
    return this.graph;
  }

  private tensorAt(index: number): TfliteTensor {
    const tensor = this.tensors[index];
    if (!tensor) throw new UserError(`tensor index ${index} is out of range (${this.tensors.length} tensors)`);
    return tensor;
  }

  /** Adds tensor `index` to the graph (with its constant data, if it has any) and returns its IR name. */
  private declare(index: number, role: string, bound?: readonly number[]): string {
    const tensor = this.tensorAt(index);
    const label = `${role} '${tensor.name}'`;
    const dtype = SUPPORTED_TYPES.get(tensor.type);
    if (!dtype) {
      const type = TENSOR_TYPE_NAMES.get(tensor.type) ?? `type ${tensor.type}`;
      throw new UserError(`${label} is ${type}; tinygen reads int8 models (int8 activations and weights, int32 biases) and 16x8 ones (int16 activations, int8 weights, int64 biases)`);
    }
    if (tensor.isSparse) throw new UserError(`${label} is sparse; sparse tensors are not supported`);
    const shape = tensor.shape;
    const name = uniqueName(this.graph, tensor.name || `tensor_${index}`);
    const data = bound ? boundTensorData(bound, dtype, shape, label) : this.constantData(tensor, dtype, shape, label);
    const quant = quantization(tensor, label);
    // The kernels count elements and bytes in int32.
    if (elementCount(shape) * dtypeBytes(dtype) > 2 ** 31 - 1) throw new UserError(`${label} has shape [${shape}]: more than 2^31 - 1 bytes`);
    const range = quantizedRange(dtype);
    if (range && quant?.zeroPoint.some((z) => z < range[0] || z > range[1])) throw new UserError(`${label} has a zero point outside ${dtype}`);
    this.graph.tensors.set(name, { name, dtype, shape, ...(data ? { data } : {}), ...(quant ? { quant } : {}) });
    this.names.set(index, name);
    return name;
  }

  private constantData(tensor: TfliteTensor, dtype: DType, shape: number[], label: string): TensorData | undefined {
    if (tensor.buffer === 0) return undefined;
    const buffer = this.buffers[tensor.buffer];
    if (!buffer) throw new UserError(`${label}: buffer index ${tensor.buffer} is out of range (${this.buffers.length} buffers)`);
    const bytes = buffer.data;
    if (bytes.length === 0) return undefined;
    const count = elementCount(shape);
    if (bytes.length !== count * dtypeBytes(dtype)) throw new UserError(`${label}: ${bytes.length} data bytes for shape [${shape}] of ${dtype}`);
    const aligned = new Uint8Array(bytes).buffer; // a copy: the file's bytes need not be aligned for the typed array, and a Buffer's slice() would not copy
    switch (dtype) {
      case 'int8':
        return new Int8Array(aligned, 0, count);
      case 'uint8':
        return new Uint8Array(aligned, 0, count);
      case 'int16':
        return new Int16Array(aligned, 0, count);
      case 'int32':
        return new Int32Array(aligned, 0, count);
      case 'float32':
        return new Float32Array(aligned, 0, count);
      case 'int64':
        return new BigInt64Array(aligned, 0, count);
    }
  }

  /** An operator input: a constant (declared on first use), a graph input or an earlier operator's output. */
  read(index: number | undefined, role: string): string {
    if (index === undefined || index < 0) throw new UserError(`the ${role} is missing`);
    const known = this.names.get(index);
    if (known !== undefined) return known;
    const tensor = this.tensorAt(index);
    const buffer = tensor.buffer === 0 ? undefined : this.buffers[tensor.buffer];
    if (!buffer || buffer.data.length === 0) throw new UserError(`the ${role} '${tensor.name}' is neither a constant, a graph input nor an earlier operator's output`);
    return this.declare(index, role);
  }

  /** A constant operator input. */
  constant(index: number | undefined, role: string): string {
    const name = this.read(index, role);
    if (!this.graph.tensors.get(name)!.data) throw new UserError(`the ${role} '${name}' must be a constant`);
    return name;
  }

  /** An operator output; TFLite tensors are written once. */
  write(index: number | undefined, role: string): string {
    if (index === undefined || index < 0) throw new UserError(`the ${role} is missing`);
    if (this.names.has(index)) throw new UserError(`the ${role} '${this.names.get(index)}' is written twice`);
    return this.declare(index, role);
  }

  /** The values of a constant int32 or int64 tensor that is read, not computed with (a shape). */
  integers(index: number, role: string): number[] {
    const declared = this.names.get(index);
    const known = declared === undefined ? undefined : this.graph.tensors.get(declared);
    if (known?.data && (known.dtype === 'int32' || known.dtype === 'int64')) return Array.from(known.data as Int32Array | BigInt64Array, Number);
    const tensor = this.tensorAt(index);
    const dtype = SUPPORTED_TYPES.get(tensor.type);
    const data = dtype === 'int32' || dtype === 'int64' ? this.constantData(tensor, dtype, tensor.shape, role) : undefined;
    if (!data) throw new UserError(`the ${role} '${tensor.name}' must be a constant int32 tensor`);
    return Array.from(data as Int32Array | BigInt64Array, Number);
  }

  tensor(name: string) {
    return this.graph.tensors.get(name)!;
  }

  /** A fresh intermediate tensor (for the reshapes TFLite does implicitly); shape inference fills it in. */
  intermediate(base: string, dtype: DType, quant: Quantization | undefined): string {
    const name = uniqueName(this.graph, base);
    this.graph.tensors.set(name, { name, dtype, shape: [], ...(quant ? { quant } : {}) });
    return name;
  }
}

/** A tensor's quantization: scale float32, zero point int64 in the schema; per channel along quantized_dimension. */
function quantization(tensor: TfliteTensor, label: string): Quantization | undefined {
  const params = tensor.quantization;
  if (!params) return undefined;
  const scale = params.scale;
  if (scale.length === 0) return undefined;
  if (params.detailsType !== 0) throw new UserError(`${label} uses custom quantization, which is not supported`);
  const zeroPoints = params.zeroPoint;
  if (zeroPoints.length !== scale.length) throw new UserError(`${label} has ${scale.length} scales but ${zeroPoints.length} zero points`);
  if (zeroPoints.some((z) => z < -(2n ** 31n) || z >= 2n ** 31n)) throw new UserError(`${label} has a zero point outside int32`);
  if (scale.some((s) => !(s > 0) || !Number.isFinite(s))) throw new UserError(`${label}: scales must be positive and finite`);
  const zeroPoint = zeroPoints.map(Number);
  return scale.length > 1 ? { scale, zeroPoint, axis: params.quantizedDimension } : { scale, zeroPoint };
}

/** The real bounds of a fused activation (tfliteClamp makes them attrs.clamp), or undefined for NONE. */
export function activationBounds(code: number): number[] | undefined {
  switch (code) {
    case Activation.NONE:
      return undefined;
    case Activation.RELU:
      return [0, Infinity];
    case Activation.RELU6:
      return [0, 6];
    case Activation.RELU_N1_TO_1:
      return [-1, 1];
    default: {
      const name = Object.entries(Activation).find(([, v]) => v === code)?.[0] ?? `${code}`;
      throw new UserError(`fused activation ${name} is not supported (NONE, RELU, RELU6, RELU_N1_TO_1)`);
    }
  }
}

/**
 * The integer clamp TFLM applies for a fused activation's real bounds (CalculateActivationRangeQuantized,
 * and FloatToQuantizedType for RELU6): `z + round(fround(b / s))` half away from zero in the
 * output's quantization, saturated to the output type (int8 unless given); an infinite bound is the
 * type's end. This is attrs.clamp.
 */
export function tfliteClamp(bounds: readonly number[], quant: Quantization | undefined, dtype: 'int8' | 'int16' = 'int8'): [number, number] {
  if (!quant) throw new Error('internal: an activation clamp on an unquantized output');
  const [scale, zeroPoint] = [quant.scale[0]!, quant.zeroPoint[0]!];
  const [lo, hi] = quantizedRange(dtype)!;
  const quantize = (bound: number) =>
    Number.isFinite(bound) ? Math.min(hi, Math.max(lo, zeroPoint + roundHalfAway(Math.fround(Math.fround(bound) / scale)))) : bound > 0 ? hi : lo;
  return [quantize(bounds[0]!), quantize(bounds[1]!)];
}

/** The refusal of an int16 activation by an operator whose 16x8 form is not supported. */
export const INT16_NOT_YET = "int16 activations (TFLite's 16x8 quantization) are not supported for this operator yet";

/** The quantized activation types an operator takes: int8, int16 where its 16x8 form is supported, int32 around QUANTIZE. */
export type ActivationTypes = readonly ('int8' | 'int16' | 'int32')[];

/** A quantized activation per tensor of one of `types` (int8 unless given), or a one-line refusal naming what it is. */
export function requireActivation(importer: TfliteImporter, name: string, role: string, types: ActivationTypes = ['int8']): void {
  const tensor = importer.tensor(name);
  if (tensor.dtype === 'int16' && !types.includes('int16')) throw new UserError(`the ${role} '${name}' is int16: ${INT16_NOT_YET}`);
  if (!(types as readonly string[]).includes(tensor.dtype)) throw new UserError(`the ${role} '${name}' is ${tensor.dtype}; float and hybrid operators are not supported (quantize the model to int8)`);
  if (!tensor.quant || tensor.quant.scale.length !== 1) throw new UserError(`the ${role} '${name}' must be quantized per tensor`);
}

