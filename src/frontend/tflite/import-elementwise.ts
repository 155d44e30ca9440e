/**
 * TFLite operators that need no layout change: they work on the model's NHWC tensors as they
 * are, with the file's axes. ADD → QLinearAdd, MUL → QLinearMul (TFLM's integer arithmetic in
 * the ops' 'tflite' mode, numpy broadcasting, fused activation in the requantization clamp);
 * MEAN → QLinearReduceMean; CONCATENATION → Concat; PAD → Pad (the padding holds the zero
 * point, i.e. real 0); TRANSPOSE → Transpose; RELU, RELU6, RELU_N1_TO_1 → Clamp when the input
 * and output share quantization (TFLM then only clamps); SOFTMAX, LOGISTIC, TANH → the
 * TFLite-only ops that reproduce TFLM's integer methods.
 *
 * The IR reads a 4-D pad or concatenation as NCHW and runs it in NHWC; those two go through
 * the NCHW view (see throughNchw), so the layout pass cancels the transposes instead of running them.
 */
import type { Node } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { opDefinition } from '../../ops/registry.ts';
import { ArithmeticOptions, BuiltinOptionsType, ConcatenationOptions, ReducerOptions, SoftmaxOptions, Activation } from './schema.ts';
import { activationBounds, requireInt8Activation, type OperatorView, type TfliteImporter } from './load.ts';
import { sameQuantization } from '../../ops/common/requant-table.ts';
import { nchwAxis, nchwOrder, throughNchw } from './spatial.ts';

/** The shape the IR op computes must be the one the file declares, or the API would change shape. */
export function checked(importer: TfliteImporter, node: Node): Node[] {
  const [info] = opDefinition(node.op).infer({ ...node, attrs: { ...node.attrs } }, importer.graph);
  const declared = importer.tensor(node.outputs[0]!).shape;
  if (info && (info.shape.length !== declared.length || info.shape.some((d, i) => d !== declared[i]))) {
    throw new UserError(`the output '${node.outputs[0]}' has shape [${declared}], the operator computes [${info.shape}]`);
  }
  return [node];
}

/** Reads the operator's activation inputs and its one output, all int8 per tensor. */
export function int8Operands(op: OperatorView, importer: TfliteImporter, count: number): { inputs: string[]; output: string } {
  const inputs = op.operator.inputs.slice(0, count).map((index, i) => importer.read(index, `input ${i}`));
  if (inputs.length !== count) throw new UserError(`needs ${count} inputs, has ${inputs.length}`);
  inputs.forEach((name, i) => requireInt8Activation(importer, name, `input ${i}`));
  const output = importer.write(op.operator.outputs[0], 'output');
  requireInt8Activation(importer, output, 'output');
  return { inputs, output };
}

export function requireSameQuantization(importer: TfliteImporter, inputs: string[], output: string): void {
  const q = importer.tensor(output).quant;
  const differs = inputs.find((name) => !sameQuantization(importer.tensor(name).quant, q));
  if (differs) throw new UserError(`the input '${differs}' and the output '${output}' are quantized differently; TFLM's int8 kernel keeps the quantization`);
}

function importArithmetic(irOp: 'QLinearAdd' | 'QLinearMul', tag: number) {
  return (op: OperatorView, importer: TfliteImporter): Node[] => {
    const activation = activationBounds(op.operator.builtinOptions(tag, (f, p, w) => new ArithmeticOptions(f, p, w))?.fusedActivationFunction ?? Activation.NONE);
    const { inputs, output } = int8Operands(op, importer, 2);
    return checked(importer, { name: op.name, op: irOp, inputs, outputs: [output], attrs: activation ? { activation } : {} });
  };
}

export const importAdd = importArithmetic('QLinearAdd', BuiltinOptionsType.AddOptions);
export const importMul = importArithmetic('QLinearMul', BuiltinOptionsType.MulOptions);

export function importMean(op: OperatorView, importer: TfliteImporter): Node[] {
  const { inputs, output } = int8Operands(op, importer, 1);
  const axes = importer.integers(op.operator.inputs[1]!, 'axes');
  const keepDims = op.operator.builtinOptions(BuiltinOptionsType.ReducerOptions, (f, p, w) => new ReducerOptions(f, p, w))?.keepDims ?? false;
  if (axes.length === 0) throw new UserError('MEAN over no axes is not supported');
  return checked(importer, { name: op.name, op: 'QLinearReduceMean', inputs, outputs: [output], attrs: { axes, keepdims: keepDims ? 1 : 0, noop_with_empty_axes: 0 } });
}

export function importConcatenation(op: OperatorView, importer: TfliteImporter): Node[] {
  const options = op.operator.builtinOptions(BuiltinOptionsType.ConcatenationOptions, (f, p, w) => new ConcatenationOptions(f, p, w));
  // TFLite's concatenation kernels refuse a fused activation.
  if ((options?.fusedActivationFunction ?? Activation.NONE) !== Activation.NONE) throw new UserError('a fused activation on CONCATENATION is not supported (TFLite defines none)');
  const { inputs, output } = int8Operands(op, importer, op.operator.inputs.length);
  requireSameQuantization(importer, inputs, output);
  const node = checked(importer, { name: op.name, op: 'QLinearConcat', inputs, outputs: [output], attrs: { axis: options?.axis ?? 0, requantize: 0 } })[0]!;
  if (!inputs.every((name) => importer.tensor(name).shape.length === 4)) return [node];
  const axis = node.attrs.axis as number;
  return throughNchw(importer, op.name, inputs, output, (xs, y) => ({ ...node, inputs: xs, outputs: [y], attrs: { ...node.attrs, axis: nchwAxis(axis < 0 ? axis + 4 : axis) } }));
}

export function importPad(op: OperatorView, importer: TfliteImporter): Node[] {
  const { inputs, output } = int8Operands(op, importer, 1);
  requireSameQuantization(importer, inputs, output);
  const paddings = importer.integers(op.operator.inputs[1]!, 'paddings');
  const rank = importer.tensor(inputs[0]!).shape.length;
  if (paddings.length !== 2 * rank) throw new UserError(`the paddings hold ${paddings.length} values; a rank-${rank} input needs [${rank}, 2]`);
  if (paddings.some((p) => p < 0)) throw new UserError(`negative paddings [${paddings}] are not supported`);
  // The raw int8 fill: the zero point, which stands for real 0.
  const zeroPoint = importer.tensor(output).quant!.zeroPoint[0]!;
  // TFLite's [rank, 2] (before, after) pairs → ONNX's [begins..., ends...].
  const [begins, ends] = [paddings.filter((_, i) => i % 2 === 0), paddings.filter((_, i) => i % 2 === 1)];
  const node = checked(importer, { name: op.name, op: 'Pad', inputs: [inputs[0]!, ''], outputs: [output], attrs: { mode: 'constant', pads: [...begins, ...ends], value: zeroPoint, qdq: 0 } })[0]!;
  if (rank !== 4) return [node];
  return throughNchw(importer, op.name, inputs, output, ([x], y) => ({ ...node, inputs: [x!, ''], outputs: [y], attrs: { ...node.attrs, pads: [...nchwOrder(begins), ...nchwOrder(ends)] } }));
}

export function importTranspose(op: OperatorView, importer: TfliteImporter): Node[] {
  const { inputs, output } = int8Operands(op, importer, 1);
  requireSameQuantization(importer, inputs, output);
  const perm = importer.integers(op.operator.inputs[1]!, 'permutation');
  return checked(importer, { name: op.name, op: 'Transpose', inputs, outputs: [output], attrs: { perm } });
}

/** SOFTMAX → TFLiteSoftmax over the last axis (TFLM's int8 integer method; the op checks the output quantization). */
export function importSoftmax(op: OperatorView, importer: TfliteImporter): Node[] {
  const { inputs, output } = int8Operands(op, importer, 1);
  const beta = op.operator.builtinOptions(BuiltinOptionsType.SoftmaxOptions, (f, p, w) => new SoftmaxOptions(f, p, w))?.beta ?? 1;
  return checked(importer, { name: op.name, op: 'TFLiteSoftmax', inputs, outputs: [output], attrs: { beta } });
}

/** LOGISTIC → TFLiteLogistic, TANH → TFLiteTanh (TFLM's int8 fixed-point methods). */
export function importActivationFunction(irOp: 'TFLiteLogistic' | 'TFLiteTanh') {
  return (op: OperatorView, importer: TfliteImporter): Node[] => {
    const { inputs, output } = int8Operands(op, importer, 1);
    return checked(importer, { name: op.name, op: irOp, inputs, outputs: [output], attrs: {} });
  };
}

export function importRelu(activation: number) {
  return (op: OperatorView, importer: TfliteImporter): Node[] => {
    const { inputs, output } = int8Operands(op, importer, 1);
    requireSameQuantization(importer, inputs, output);
    return checked(importer, { name: op.name, op: 'Clamp', inputs, outputs: [output], attrs: { activation: activationBounds(activation)! } });
  };
}
