/**
 * TFLite bytes → IR graph. Reads the main subgraph of an int8 model and maps each operator onto
 * the IR op the ONNX importers produce for the same computation (FULLY_CONNECTED → QGemm with
 * transB, RESHAPE → Reshape, QUANTIZE / DEQUANTIZE → QuantizeLinear / DequantizeLinear; the
 * spatial and elementwise operators in import-conv.ts, import-pool.ts and import-elementwise.ts,
 * STRIDED_SLICE in import-slice.ts, TRANSPOSE_CONV in import-transpose-conv.ts).
 * Anything else is rejected with one line naming the operator index and its name.
 */
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { Node } from '../../ir/graph.ts';
import type { BoundValues } from '../bindings.ts';
import { elementCount } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { sameQuantization } from '../../ops/common/requant-table.ts';
import type { LoadedModel } from '../onnx/load.ts';
import { FlatFile } from './flat-reader.ts';
import { activationBounds, requireActivation, tfliteClamp, TfliteImporter, type OperatorTable, type OperatorView } from './importer.ts';
import { importConv2d, importDepthwiseConv2d, importFullyConnected16x8 } from './import-conv.ts';
import { importAveragePool2d, importMaxPool2d } from './import-pool.ts';
import { importHardSwish, importLeakyRelu } from './import-activations.ts';
import { importStridedSlice } from './import-slice.ts';
import { importTransposeConv } from './import-transpose-conv.ts';
import { importActivationFunction, importAdd, importConcatenation, importMean, importMul, importPad, importRelu, importSoftmax, importSub, importTranspose } from './import-elementwise.ts';
import { ActivationFunctionType as Activation, TFLITE_IDENTIFIER, TfliteModel } from './schema.ts';

/** TFLite by extension, or by the FlatBuffer file identifier whatever the file is called. */
export function isTfliteModel(bytes: Uint8Array, path: string): boolean {
  return extname(path).toLowerCase() === '.tflite' || new FlatFile(bytes).identifier() === TFLITE_IDENTIFIER;
}

export function loadTfliteBytes(bytes: Uint8Array, source: string, bindings: BoundValues = new Map()): LoadedModel {
  if (new FlatFile(bytes).identifier() !== TFLITE_IDENTIFIER) {
    throw new UserError(`${source}: not a TFLite model (no "${TFLITE_IDENTIFIER}" file identifier)`);
  }
  try {
    const graph = new TfliteImporter(TfliteModel.fromBytes(bytes), basename(source, extname(source)), OPERATORS, bindings).run();
    return { graph, sha256: createHash('sha256').update(bytes).digest('hex'), source };
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${source}: ${err.message}`);
    throw err;
  }
}

/**
 * The supported operators: each one's importer, and the highest OperatorCode.version it accepts,
 * which is TensorFlow Lite's BuiltinOpResolver's (tensorflow/lite/kernels/register.cc, AddBuiltin
 * max_version; tensorflow commit 00b1ec2a; 1 where AddBuiltin gives none). TFLM's resolver ignores
 * versions, so these are the versions whose semantics TFLite defines; a later version may change
 * them (new fields or types). The three models of ../shared/conformance/tflite use
 * FULLY_CONNECTED 4, DEPTHWISE_CONV_2D 3, CONV_2D 2, AVERAGE_POOL_2D 2, SOFTMAX 2 and RESHAPE 1.
 */
const OPERATORS: OperatorTable = {
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
  SUB: { importer: importSub, maxVersion: 5 },
  TANH: { importer: importActivationFunction('TFLiteTanh'), maxVersion: 3 },
  TRANSPOSE: { importer: importTranspose, maxVersion: 5 },
  TRANSPOSE_CONV: { importer: importTransposeConv, maxVersion: 5 },
};

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
  requireActivation(importer, input, 'input', ['int8', 'int16']);
  if (importer.tensor(input).dtype === 'int16') return importFullyConnected16x8(op, importer, input);
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
  requireActivation(importer, output, 'output');

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
  const bounds = activationBounds(options?.fusedActivationFunction ?? Activation.NONE);
  const clamp = bounds && tfliteClamp(bounds, outputTensor.quant);
  nodes.push({ name: op.name, op: 'QGemm', inputs, outputs: [product], attrs: { transA: 0, transB: 1, alpha: 1, ...(clamp ? { clamp } : {}) } });
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
 * Between other integer types (int8, int16, int32): the same Requantize, TFLiteRequantize.
 */
function importQuantize(op: OperatorView, importer: TfliteImporter): Node[] {
  const input = importer.read(op.operator.inputs[0], 'input');
  const output = importer.write(op.operator.outputs[0], 'output');
  const [dtype, outType] = [importer.tensor(input).dtype, importer.tensor(output).dtype];
  if (dtype !== 'float32' && (dtype !== 'int8' || outType !== 'int8')) {
    // Between integer types (16x8 models requantize int16 to int32 or int8 and back).
    for (const [name, role] of [[input, 'input'], [output, 'output']] as const) {
      requireActivation(importer, name, role, ['int8', 'int16', 'int32']);
    }
    return [{ name: op.name, op: 'TFLiteRequantize', inputs: [input], outputs: [output], attrs: {} }];
  }
  requireActivation(importer, output, 'output', ['int8', 'int16']);
  if (dtype === 'int8') {
    requireActivation(importer, input, 'input');
    return [{ name: op.name, op: 'Identity', inputs: [input], outputs: [output], attrs: { qdq: 1 } }];
  }
  return [{ name: op.name, op: 'QuantizeLinear', inputs: [input], outputs: [output], attrs: { ties_away_from_zero: 1 } }];
}

/** int8 or int16 → float32 at the model's output. */
function importDequantize(op: OperatorView, importer: TfliteImporter): Node[] {
  const input = importer.read(op.operator.inputs[0], 'input');
  requireActivation(importer, input, 'input', ['int8', 'int16']);
  if (importer.tensor(input).data) throw new UserError(`dequantizing a constant (the input '${input}') is not supported`);
  const output = importer.write(op.operator.outputs[0], 'output');
  if (importer.tensor(output).dtype !== 'float32') throw new UserError(`the output '${output}' must be float32`);
  return [{ name: op.name, op: 'DequantizeLinear', inputs: [input], outputs: [output], attrs: {} }];
}
