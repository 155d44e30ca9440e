/**
 * TFLite bytes → IR graph. Reads the main subgraph of an int8 model and maps each operator onto
 * the IR op the ONNX importers produce for the same computation (FULLY_CONNECTED → QGemm with
 * transB, RESHAPE → Reshape, QUANTIZE / DEQUANTIZE → QuantizeLinear / DequantizeLinear; the
 * spatial and elementwise operators in import-conv.ts, import-pool.ts and import-elementwise.ts,
 * STRIDED_SLICE in import-slice.ts).
 * Anything else is rejected with one line naming the operator index and its name.
 */
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { DType, Graph, Node, Quantization, TensorData } from '../../ir/graph.ts';
import { elementCount, dtypeBytes, uniqueName } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { sameQuantization } from '../../ops/common/requant-table.ts';
import { roundHalfAway } from '../../numerics/requantize.ts';
import type { LoadedModel } from '../onnx/load.ts';
import { FlatFile } from './flat-reader.ts';
import { importConv2d, importDepthwiseConv2d } from './import-conv.ts';
import { importAveragePool2d, importMaxPool2d } from './import-pool.ts';
import { importHardSwish, importLeakyRelu } from './import-activations.ts';
import { importStridedSlice } from './import-slice.ts';
import { importActivationFunction, importAdd, importConcatenation, importMean, importMul, importPad, importRelu, importSoftmax, importTranspose } from './import-elementwise.ts';
import {
  ActivationFunctionType as Activation,
  BuiltinOperator,
  Operator,
  TensorType,
  TFLITE_IDENTIFIER,
  TfliteModel,
  builtinOperatorName,
  operatorNameOf,
  type BuiltinOperatorName,
  type SubGraph,
  type TfliteBuffer,
  type TfliteTensor,
} from './schema.ts';

/** TFLite by extension, or by the FlatBuffer file identifier whatever the file is called. */
export function isTfliteModel(bytes: Uint8Array, path: string): boolean {
  return extname(path).toLowerCase() === '.tflite' || new FlatFile(bytes).identifier() === TFLITE_IDENTIFIER;
}

export function loadTfliteBytes(bytes: Uint8Array, source: string): LoadedModel {
  if (new FlatFile(bytes).identifier() !== TFLITE_IDENTIFIER) {
    throw new UserError(`${source}: not a TFLite model (no "${TFLITE_IDENTIFIER}" file identifier)`);
  }
  try {
    const graph = new TfliteImporter(TfliteModel.fromBytes(bytes), basename(source, extname(source))).run();
    return { graph, sha256: createHash('sha256').update(bytes).digest('hex'), source };
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${source}: ${err.message}`);
    throw err;
  }
}

const SUPPORTED_TYPES = new Map<number, DType>([
  [TensorType.FLOAT32, 'float32'],
  [TensorType.INT32, 'int32'],
  [TensorType.INT64, 'int64'],
  [TensorType.INT8, 'int8'],
]);

const TENSOR_TYPE_NAMES = new Map(Object.entries(TensorType).map(([name, code]) => [code as number, name]));

/** One operator as the importers see it. */
export interface OperatorView {
  operator: Operator;
  /** The IR node name: the operator's code name and index, so errors lead back to the file. */
  name: string;
}

type OperatorImporter = (op: OperatorView, importer: TfliteImporter) => Node[];

/**
 * The supported operators: each one's importer, and the highest OperatorCode.version it accepts,
 * which is TensorFlow Lite's BuiltinOpResolver's (tensorflow/lite/kernels/register.cc, AddBuiltin
 * max_version; tensorflow commit 00b1ec2a; 1 where AddBuiltin gives none). TFLM's resolver ignores
 * versions, so these are the versions whose semantics TFLite defines; a later version may change
 * them (new fields or types). The three models of ../shared/conformance/tflite use
 * FULLY_CONNECTED 4, DEPTHWISE_CONV_2D 3, CONV_2D 2, AVERAGE_POOL_2D 2, SOFTMAX 2 and RESHAPE 1.
 */
const OPERATORS: Partial<Record<BuiltinOperatorName, { importer: OperatorImporter; maxVersion: number }>> = {
  ADD: { importer: importAdd, maxVersion: 4 },
  AVERAGE_POOL_2D: { importer: importAveragePool2d, maxVersion: 3 },
  CONCATENATION: { importer: importConcatenation, maxVersion: 3 },
  CONV_2D: { importer: importConv2d, maxVersion: 6 },
  DEPTHWISE_CONV_2D: { importer: importDepthwiseConv2d, maxVersion: 6 },
  DEQUANTIZE: { importer: importDequantize, maxVersion: 5 },
  FULLY_CONNECTED: { importer: importFullyConnected, maxVersion: 9 },
  HARD_SWISH: { importer: importHardSwish, maxVersion: 1 },
  LEAKY_RELU: { importer: importLeakyRelu, maxVersion: 2 },
  LOGISTIC: { importer: importActivationFunction('TFLiteLogistic'), maxVersion: 3 },
  MAX_POOL_2D: { importer: importMaxPool2d, maxVersion: 3 },
  MEAN: { importer: importMean, maxVersion: 3 },
  MUL: { importer: importMul, maxVersion: 5 },
  PAD: { importer: importPad, maxVersion: 4 },
  QUANTIZE: { importer: importQuantize, maxVersion: 3 },
  RELU: { importer: importRelu(Activation.RELU), maxVersion: 3 },
  RELU6: { importer: importRelu(Activation.RELU6), maxVersion: 3 },
  RELU_N1_TO_1: { importer: importRelu(Activation.RELU_N1_TO_1), maxVersion: 1 },
  RESHAPE: { importer: importReshape, maxVersion: 1 },
  SOFTMAX: { importer: importSoftmax, maxVersion: 3 },
  STRIDED_SLICE: { importer: importStridedSlice, maxVersion: 6 },
  TANH: { importer: importActivationFunction('TFLiteTanh'), maxVersion: 3 },
  TRANSPOSE: { importer: importTranspose, maxVersion: 5 },
};

function operatorSupport(code: number) {
  const name = operatorNameOf(code);
  return name === undefined ? undefined : OPERATORS[name];
}

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
  ) {
    const subgraphs = model.subgraphs;
    if (subgraphs.length === 0) throw new UserError('the model has no subgraphs');
    this.subgraph = subgraphs[0]!;
    this.tensors = this.subgraph.tensors;
    this.buffers = model.buffers;
    this.graph = { name, tensors: new Map(), nodes: [], inputs: [], outputs: [] };
  }

  run(): Graph {
    if (!this.tensors.some((t) => t.type === TensorType.INT8)) {
      throw new UserError('a float model (no int8 tensors); tinygen compiles int8-quantized TFLite models (full-integer post-training quantization)');
    }
    for (const index of this.subgraph.inputs) {
      const name = this.declare(index, 'graph input');
      const tensor = this.graph.tensors.get(name)!;
      if (tensor.data) throw new UserError(`graph input '${name}' is a constant`);
      if (tensor.shape.some((d) => d <= 0)) throw new UserError(`graph input '${name}' has shape [${tensor.shape}]; tinygen needs static, non-empty shapes`);
      this.graph.inputs.push(name);
    }
    if (this.graph.inputs.length === 0) throw new UserError('the model has no inputs');
    const codes = this.model.operatorCodes;
    this.subgraph.operators.forEach((operator, index) => {
      const code = codes[operator.opcodeIndex];
      if (!code) throw new UserError(`operator ${index}: opcode index ${operator.opcodeIndex} is out of range (${codes.length} operator codes)`);
      const opName = code.code === BuiltinOperator.CUSTOM ? `CUSTOM '${code.customCode}'` : builtinOperatorName(code.code);
      const label = `operator ${index} (${opName})`;
      const support = operatorSupport(code.code);
      if (!support) throw new UserError(`${label}: not supported yet; supported: ${Object.keys(OPERATORS).sort().join(', ')}`);
      const { importer, maxVersion } = support;
      if (code.version < 1 || code.version > maxVersion) throw new UserError(`${label}: version ${code.version} is not supported (up to ${maxVersion})`);
      try {
        this.graph.nodes.push(...importer({ operator, name: `${builtinOperatorName(code.code)}_${index}` }, this));
      } catch (err) {
        if (err instanceof UserError) throw new UserError(`${label}: ${err.message}`);
        throw err;
      }
    });
    this.graph.nodes.forEach((node) => roundActivationBoundsAsTflm(node, this.graph));
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
  private declare(index: number, role: string): string {
    const tensor = this.tensorAt(index);
    const label = `${role} '${tensor.name}'`;
    const dtype = SUPPORTED_TYPES.get(tensor.type);
    if (!dtype) {
      const type = TENSOR_TYPE_NAMES.get(tensor.type) ?? `type ${tensor.type}`;
      throw new UserError(`${label} is ${type}; tinygen reads int8 models (int8 activations and weights, int32 biases)`);
    }
    if (tensor.isSparse) throw new UserError(`${label} is sparse; sparse tensors are not supported`);
    const shape = tensor.shape;
    const name = uniqueName(this.graph, tensor.name || `tensor_${index}`);
    const data = this.constantData(tensor, dtype, shape, label);
    const quant = quantization(tensor, label);
    // The kernels count elements and bytes in int32.
    if (elementCount(shape) * dtypeBytes(dtype) > 2 ** 31 - 1) throw new UserError(`${label} has shape [${shape}]: more than 2^31 - 1 bytes`);
    const range = dtype === 'int8' ? [-128, 127] : undefined;
    if (range && quant?.zeroPoint.some((z) => z < range[0]! || z > range[1]!)) throw new UserError(`${label} has a zero point outside int8`);
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

/** The real-valued clamp of a fused activation, in the form fuse-activations gives attrs.activation. */
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
 * TFLM quantizes an activation bound half away from zero (CalculateActivationRangeQuantized and
 * RELU6's FloatToQuantizedType: round(bound / s) + z), the IR half to even (ONNX's rule, in
 * activationRange). Each finite bound becomes the real value of TFLM's integer bound, which
 * any rounding maps back to that integer (|q| <= 255 keeps fround's error far below 1/2).
 */
function roundActivationBoundsAsTflm(node: Node, graph: Graph): void {
  const bounds = node.attrs.activation as number[] | undefined;
  const quant = bounds && graph.tensors.get(node.outputs[0]!)?.quant;
  if (!bounds || !quant) return;
  const [scale, zeroPoint] = [quant.scale[0]!, quant.zeroPoint[0]!];
  node.attrs.activation = bounds.map((bound) => {
    if (!Number.isFinite(bound)) return bound;
    const q = Math.min(127, Math.max(-128, zeroPoint + roundHalfAway(Math.fround(Math.fround(bound) / scale))));
    return (q - zeroPoint) * scale;
  });
}

export function requireInt8Activation(importer: TfliteImporter, name: string, role: string): void {
  const tensor = importer.tensor(name);
  if (tensor.dtype !== 'int8') throw new UserError(`the ${role} '${name}' is ${tensor.dtype}; float and hybrid operators are not supported (quantize the model to int8)`);
  if (!tensor.quant || tensor.quant.scale.length !== 1) throw new UserError(`the ${role} '${name}' must be quantized per tensor`);
}

function reshapeNode(name: string, input: string, output: string, shape: number[]): Node {
  return { name, op: 'Reshape', inputs: [input], outputs: [output], attrs: { shape, allowzero: 0 } };
}

/**
 * y = x · Wᵀ + bias with weights [N, K] (per tensor, or per output channel along dimension 0):
 * QGemm with transB. TFLite flattens the input to [numel / K, K] and, with keep_num_dims, keeps
 * its leading dimensions in the output; explicit Reshapes stand for both.
 */
function importFullyConnected(op: OperatorView, importer: TfliteImporter): Node[] {
  const options = op.operator.options('FullyConnectedOptions');
  if (options && options.weightsFormat !== 0) throw new UserError('shuffled weights (weights_format other than DEFAULT) are not supported');
  const [inputIndex, weightsIndex, biasIndex = -1] = op.operator.inputs;
  const input = importer.read(inputIndex, 'input');
  requireInt8Activation(importer, input, 'input');
  const weights = importer.tensor(importer.constant(weightsIndex, 'weights'));
  if (weights.dtype !== 'int8' || weights.shape.length !== 2) throw new UserError(`the weights '${weights.name}' must be int8 [out, in], got ${weights.dtype} [${weights.shape}]`);
  const [n, k] = weights.shape as [number, number];
  if (!weights.quant) throw new UserError(`the weights '${weights.name}' are not quantized`);
  if (weights.quant.scale.length > 1) {
    if (weights.quant.axis !== 0 || weights.quant.scale.length !== n) {
      throw new UserError(`the weights '${weights.name}' have ${weights.quant.scale.length} scales along dimension ${weights.quant.axis}; per-channel weights need one per output channel (${n}, dimension 0)`);
    }
  }
  const inputs = [input, weights.name];
  if (biasIndex >= 0) {
    const bias = importer.tensor(importer.constant(biasIndex, 'bias'));
    if (bias.dtype !== 'int32' || elementCount(bias.shape) !== n) throw new UserError(`the bias '${bias.name}' must be int32 with ${n} values, got ${bias.dtype} [${bias.shape}]`);
    inputs.push(bias.name);
  }
  const output = importer.write(op.operator.outputs[0], 'output');
  requireInt8Activation(importer, output, 'output');

  const nodes: Node[] = [];
  const inputTensor = importer.tensor(input);
  const total = elementCount(inputTensor.shape);
  if (total % k !== 0) throw new UserError(`the input [${inputTensor.shape}] does not flatten to rows of ${k} (the weights' input size)`);
  if (inputTensor.shape.length !== 2 || inputTensor.shape[1] !== k) {
    inputs[0] = importer.intermediate(`${input}_rows`, 'int8', inputTensor.quant);
    nodes.push(reshapeNode(`${op.name}_flatten`, input, inputs[0], [total / k, k]));
  }
  const outputTensor = importer.tensor(output);
  const rowsOut = [total / k, n];
  const direct = outputTensor.shape.length === 2 && outputTensor.shape[0] === rowsOut[0] && outputTensor.shape[1] === n;
  if (!direct && elementCount(outputTensor.shape) !== elementCount(rowsOut)) {
    throw new UserError(`the output [${outputTensor.shape}] does not hold the ${rowsOut[0]} x ${n} results`);
  }
  const product = direct ? output : importer.intermediate(`${output}_rows`, 'int8', outputTensor.quant);
  const activation = activationBounds(options?.fusedActivationFunction ?? Activation.NONE);
  nodes.push({ name: op.name, op: 'QGemm', inputs, outputs: [product], attrs: { transA: 0, transB: 1, alpha: 1, ...(activation ? { activation } : {}) } });
  if (!direct) nodes.push(reshapeNode(`${op.name}_unflatten`, product, output, [...outputTensor.shape]));
  return nodes;
}

/** A view: the file records the output's static shape; the shape operand or new_shape only when it does not. */
function importReshape(op: OperatorView, importer: TfliteImporter): Node[] {
  const input = importer.read(op.operator.inputs[0], 'input');
  const output = importer.write(op.operator.outputs[0], 'output');
  const [x, y] = [importer.tensor(input), importer.tensor(output)];
  if (x.dtype !== y.dtype || !sameQuantization(x.quant, y.quant)) throw new UserError(`the input and output types or quantizations differ; RESHAPE must not requantize`);
  let shape = [...y.shape];
  // The declared output shape is the API's; only an undeclared one (rank 0) is taken from the
  // shape operand or the options. A shape whose element count differs is an inconsistent file.
  if (shape.length === 0 && elementCount(x.shape) !== 1) {
    const shapeIndex = op.operator.inputs[1];
    shape =
      shapeIndex !== undefined && shapeIndex >= 0
        ? importer.integers(shapeIndex, 'shape')
        : (op.operator.options('ReshapeOptions')?.newShape ?? []);
  }
  if (elementCount(shape) !== elementCount(x.shape)) throw new UserError(`the output shape [${shape}] does not hold the input's ${elementCount(x.shape)} elements`);
  return [reshapeNode(op.name, input, output, shape)];
}

/**
 * float32 → int8: QuantizeLinear rounding x / s half away from zero (TFLM's AffineQuantize).
 * int8 → int8: TFLM's Requantize (multiplier s_x / s_y in double, double rounding), which is the
 * requantizing copy an Identity with a declared output quantization (attrs.qdq) compiles to.
 */
function importQuantize(op: OperatorView, importer: TfliteImporter): Node[] {
  const input = importer.read(op.operator.inputs[0], 'input');
  const output = importer.write(op.operator.outputs[0], 'output');
  const dtype = importer.tensor(input).dtype;
  requireInt8Activation(importer, output, 'output');
  if (dtype === 'int8') {
    requireInt8Activation(importer, input, 'input');
    return [{ name: op.name, op: 'Identity', inputs: [input], outputs: [output], attrs: { qdq: 1 } }];
  }
  if (dtype !== 'float32') throw new UserError(`quantizing a ${dtype} tensor is not supported (float32 or int8 → int8)`);
  return [{ name: op.name, op: 'QuantizeLinear', inputs: [input], outputs: [output], attrs: { ties_away_from_zero: 1 } }];
}

/** int8 → float32 at the model's output. */
function importDequantize(op: OperatorView, importer: TfliteImporter): Node[] {
  const input = importer.read(op.operator.inputs[0], 'input');
  requireInt8Activation(importer, input, 'input');
  if (importer.tensor(input).data) throw new UserError(`dequantizing a constant (the input '${input}') is not supported`);
  const output = importer.write(op.operator.outputs[0], 'output');
  if (importer.tensor(output).dtype !== 'float32') throw new UserError(`the output '${output}' must be float32`);
  return [{ name: op.name, op: 'DequantizeLinear', inputs: [input], outputs: [output], attrs: {} }];
}
