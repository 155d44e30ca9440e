/**
 * TFLite operators that work on the model's NHWC tensors as they are, with the file's axes. ADD → QLinearAdd, MUL → QLinearMul (TFLM's integer arithmetic in
 * the ops' 'tflite' mode, numpy broadcasting, fused activation in the requantization clamp); SUB →
 * TFLiteSub (TFLM's, in either mode);
 * MEAN → QLinearReduceMean; CONCATENATION → Concat; PAD → Pad (the padding holds the zero
 * point, i.e. real 0); TRANSPOSE → Transpose; RELU, RELU6, RELU_N1_TO_1 → Clamp when the input
 * and output share quantization (TFLM then only clamps; see importRelu otherwise); SOFTMAX, LOGISTIC, TANH → the
 * TFLite-only ops that reproduce TFLM's integer methods.
 */
import type { Node } from '../../ir/graph.ts';
import { elementCount, quantizedRange } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { opDefinition } from '../../ops/registry.ts';
import { ActivationFunctionType as Activation } from './schema.ts';
import { activationBounds, requireActivation, tfliteClamp, type ActivationTypes, type OperatorView, type TfliteImporter } from './importer.ts';
import { sameQuantization } from '../../ops/common/requant-table.ts';
import { INT32_MAX, quantizeMultiplier, roundHalfAway } from '../../numerics/requantize.ts';

/** The shape the IR op computes must be the one the file declares, or the API would change shape. */
export function checked(importer: TfliteImporter, node: Node): Node[] {
  const [info] = opDefinition(node.op).infer({ ...node, attrs: { ...node.attrs } }, importer.graph);
  const declared = importer.tensor(node.outputs[0]!).shape;
  if (info && (info.shape.length !== declared.length || info.shape.some((d, i) => d !== declared[i]))) {
    throw new UserError(`the output '${node.outputs[0]}' has shape [${declared}], the operator computes [${info.shape}]`);
  }
  return [node];
}

/**
 * Reads the operator's activation inputs and its one output, quantized per tensor: int8, or int16
 * too where `types` says so, every operand of one type.
 */
export function quantizedOperands(op: OperatorView, importer: TfliteImporter, count: number, types: ActivationTypes = ['int8']): { inputs: string[]; output: string } {
  const inputs = op.operator.inputs.slice(0, count).map((index, i) => importer.read(index, `input ${i}`));
  if (inputs.length !== count) throw new UserError(`needs ${count} inputs, has ${inputs.length}`);
  inputs.forEach((name, i) => requireActivation(importer, name, `input ${i}`, types));
  const output = importer.write(op.operator.outputs[0], 'output');
  requireActivation(importer, output, 'output', types);
  const dtype = importer.tensor(output).dtype;
  const other = inputs.find((name) => importer.tensor(name).dtype !== dtype);
  if (other !== undefined) throw new UserError(`the input '${other}' is ${importer.tensor(other).dtype} and the output '${output}' ${dtype}; TFLM's kernel needs one type`);
  return { inputs, output };
}

export function requireSameQuantization(importer: TfliteImporter, inputs: string[], output: string): void {
  const q = importer.tensor(output).quant;
  const differs = inputs.find((name) => !sameQuantization(importer.tensor(name).quant, q));
  if (differs) throw new UserError(`the input '${differs}' and the output '${output}' are quantized differently; TFLM's int8 kernel keeps the quantization`);
}

function importArithmetic(irOp: 'QLinearAdd' | 'QLinearMul' | 'TFLiteSub', options: 'AddOptions' | 'MulOptions' | 'SubOptions', types: ActivationTypes = ['int8']) {
  return (op: OperatorView, importer: TfliteImporter): Node[] => {
    const bounds = activationBounds(op.operator.options(options)?.fusedActivationFunction ?? Activation.NONE);
    const { inputs, output } = quantizedOperands(op, importer, 2, types);
    const y = importer.tensor(output);
    const clamp = bounds && tfliteClamp(bounds, y.quant, y.dtype === 'int16' ? 'int16' : 'int8');
    return checked(importer, { name: op.name, op: irOp, inputs, outputs: [output], attrs: clamp ? { clamp } : {} });
  };
}

/**
 * ADD and SUB take int16 too (16x8 models). TFLM ignores their pot_scale_int16 option: its int16
 * kernels always take the general rescaling path, which the IR ops compute.
 */
export const importAdd = importArithmetic('QLinearAdd', 'AddOptions', ['int8', 'int16']);
export const importSub = importArithmetic('TFLiteSub', 'SubOptions', ['int8', 'int16']);
const importMulOperator = importArithmetic('QLinearMul', 'MulOptions', ['int8', 'int16']);

/** MUL, int8 or int16; TFLM's int16 MUL requires zero points of 0 (mul_common.cc). */
export function importMul(op: OperatorView, importer: TfliteImporter): Node[] {
  const nodes = importMulOperator(op, importer);
  const mul = nodes[nodes.length - 1]!;
  const operands = [...mul.inputs, ...mul.outputs].map((name) => importer.tensor(name));
  if (operands[0]!.dtype === 'int16' && operands.some((t) => t.quant?.zeroPoint[0] !== 0)) throw new UserError(`int16 MUL needs zero points of 0 (TFLM's kernel refuses others)`);
  return nodes;
}

/**
 * TFLM resolves the axes as its reference ResolveAxis does (negative ones counted from the end,
 * repeats dropped) and reads nothing of the output's shape but its element count, so a declared
 * shape other than the one the reduction computes (e.g. [1] rather than [] for keep_dims = false
 * over every axis) is a Reshape of the result.
 */
export function importMean(op: OperatorView, importer: TfliteImporter): Node[] {
  // int16 too: TFLM's 16x8 MEAN is the same integer kernel with int16 bounds.
  const { inputs, output } = quantizedOperands(op, importer, 1, ['int8', 'int16']);
  const rank = importer.tensor(inputs[0]!).shape.length;
  // Out-of-range axes are left for the op's own error.
  const axes = [...new Set(importer.integers(op.operator.inputs[1]!, 'axes').map((a) => (a < 0 && a >= -rank ? a + rank : a)))];
  const keepDims = op.operator.options('ReducerOptions')?.keepDims ?? false;
  if (axes.length === 0) throw new UserError('MEAN over no axes is not supported');
  const node: Node = { name: op.name, op: 'QLinearReduceMean', inputs, outputs: [output], attrs: { axes, keepdims: keepDims ? 1 : 0, noop_with_empty_axes: 0 } };
  const [info] = opDefinition(node.op).infer({ ...node, attrs: { ...node.attrs } }, importer.graph);
  const declared = importer.tensor(output);
  const computed = info!.shape;
  if (computed.length === declared.shape.length && computed.every((d, i) => d === declared.shape[i])) return [node];
  if (elementCount(computed) !== elementCount(declared.shape)) {
    throw new UserError(`the output '${output}' has shape [${declared.shape}], the operator computes [${computed}]`);
  }
  const mean = importer.intermediate(`${output}_mean`, declared.dtype, declared.quant);
  return [
    { ...node, outputs: [mean] },
    { name: `${op.name}_reshape`, op: 'Reshape', inputs: [mean], outputs: [output], attrs: { shape: [...declared.shape], allowzero: 0 } },
  ];
}

export function importConcatenation(op: OperatorView, importer: TfliteImporter): Node[] {
  const options = op.operator.options('ConcatenationOptions');
  // TFLite's concatenation kernels refuse a fused activation.
  if ((options?.fusedActivationFunction ?? Activation.NONE) !== Activation.NONE) throw new UserError('a fused activation on CONCATENATION is not supported (TFLite defines none)');
  const { inputs, output } = quantizedOperands(op, importer, op.operator.inputs.length, ['int8', 'int16']);
  // TFLM's concatenation.cc copies values as they are: for int8 it requires every scale and zero
  // point to equal the output's; for int16 only zero points of 0, so inputs of other scales are
  // copied unscaled (the output's bytes read under its own scale).
  if (importer.tensor(output).dtype === 'int8') requireSameQuantization(importer, inputs, output);
  const zeroPoints = [...inputs, output].map((name) => importer.tensor(name).quant!.zeroPoint[0]!);
  if (importer.tensor(output).dtype === 'int16' && zeroPoints.some((z) => z !== 0)) throw new UserError(`int16 CONCATENATION needs zero points of 0 (TFLM's kernel refuses others), found ${zeroPoints.join(', ')}`);
  return checked(importer, { name: op.name, op: 'QLinearConcat', inputs, outputs: [output], attrs: { axis: options?.axis ?? 0, requantize: 0 } });
}

export function importPad(op: OperatorView, importer: TfliteImporter): Node[] {
  const { inputs, output } = quantizedOperands(op, importer, 1, ['int8', 'int16']);
  requireSameQuantization(importer, inputs, output);
  const paddings = importer.integers(op.operator.inputs[1]!, 'paddings');
  const rank = importer.tensor(inputs[0]!).shape.length;
  if (paddings.length !== 2 * rank) throw new UserError(`the paddings hold ${paddings.length} values; a rank-${rank} input needs [${rank}, 2]`);
  if (paddings.some((p) => p < 0)) throw new UserError(`negative paddings [${paddings}] are not supported`);
  // The raw fill: for int8 the zero point, which stands for real 0; for int16 a raw 0 whatever the
  // zero point (TFLM's PAD, pad.cc).
  const out = importer.tensor(output);
  const zeroPoint = out.dtype === 'int16' ? 0 : out.quant!.zeroPoint[0]!;
  // TFLite's [rank, 2] (before, after) pairs → ONNX's [begins..., ends...].
  const [begins, ends] = [paddings.filter((_, i) => i % 2 === 0), paddings.filter((_, i) => i % 2 === 1)];
  return checked(importer, { name: op.name, op: 'Pad', inputs: [inputs[0]!, ''], outputs: [output], attrs: { mode: 'constant', pads: [...begins, ...ends], value: zeroPoint, qdq: 0 } });
}

export function importTranspose(op: OperatorView, importer: TfliteImporter): Node[] {
  const { inputs, output } = quantizedOperands(op, importer, 1, ['int8', 'int16']);
  requireSameQuantization(importer, inputs, output);
  const perm = importer.integers(op.operator.inputs[1]!, 'permutation');
  return checked(importer, { name: op.name, op: 'Transpose', inputs, outputs: [output], attrs: { perm } });
}

/**
 * SOFTMAX → TFLiteSoftmax over the last axis: TFLM's int8 → int8, int8 → int16 and int16 → int16
 * integer methods (the op checks the quantization).
 */
export function importSoftmax(op: OperatorView, importer: TfliteImporter): Node[] {
  const input = importer.read(op.operator.inputs[0], 'input 0');
  requireActivation(importer, input, 'input 0', ['int8', 'int16']);
  const output = importer.write(op.operator.outputs[0], 'output');
  requireActivation(importer, output, 'output', ['int8', 'int16']);
  if (importer.tensor(input).dtype === 'int16' && importer.tensor(output).dtype === 'int8') {
    throw new UserError(`the input '${input}' is int16 and the output '${output}' int8; TFLM's SOFTMAX takes int8 → int8, int8 → int16 and int16 → int16`);
  }
  const inputs = [input];
  const beta = op.operator.options('SoftmaxOptions')?.beta ?? 1;
  return checked(importer, { name: op.name, op: 'TFLiteSoftmax', inputs, outputs: [output], attrs: { beta } });
}

/** LOGISTIC → TFLiteLogistic, TANH → TFLiteTanh (TFLM's int8 fixed-point and int16 table methods). */
export function importActivationFunction(irOp: 'TFLiteLogistic' | 'TFLiteTanh') {
  return (op: OperatorView, importer: TfliteImporter): Node[] => {
    const { inputs, output } = quantizedOperands(op, importer, 1, ['int8', 'int16']);
    return checked(importer, { name: op.name, op: irOp, inputs, outputs: [output], attrs: {} });
  };
}

/**
 * RELU, RELU6, RELU_N1_TO_1 → Clamp when the input and output share quantization (TFLM then only
 * clamps). Otherwise, as TFLM's kernels do:
 * - RELU requantizes (CalculateReluOpData: the multiplier of the float32 quotient s_x / s_y, double
 *   rounding, + z_y, clamped to [z_y, 127]), which is TFLiteLeakyRelu with alpha 0: below the zero
 *   point that gives z_y, at or above it the two rules agree;
 * - RELU6 clamps the bytes to [z_x, round(6 / s_x) + z_x] (Relu6Prepare uses only the input's
 *   quantization) and does not requantize, so the output holds those bytes under its own
 *   quantization (docs/numerics.md);
 * - TFLM has no RELU_N1_TO_1 kernel, so there is no rule to follow.
 */
export function importRelu(activation: number) {
  return (op: OperatorView, importer: TfliteImporter): Node[] => {
    const { inputs, output } = quantizedOperands(op, importer, 1, ['int8', 'int16']);
    const [x, y] = [importer.tensor(inputs[0]!).quant!, importer.tensor(output).quant!];
    const dtype = importer.tensor(output).dtype as 'int8' | 'int16';
    const [lo, hi] = quantizedRange(dtype)!;
    // TFLM's int16 RELU requires zero points of 0 (activations_common.cc); RELU6 checks none.
    if (dtype === 'int16' && activation === Activation.RELU && (x.zeroPoint[0] !== 0 || y.zeroPoint[0] !== 0)) {
      throw new UserError(`int16 RELU needs zero points of 0 (TFLM's kernel refuses others), found ${x.zeroPoint[0]} and ${y.zeroPoint[0]}`);
    }
    if (!sameQuantization(x, y)) {
      if (activation === Activation.RELU) {
        const relu: Node = { name: op.name, op: 'TFLiteLeakyRelu', inputs, outputs: [output], attrs: { alpha: 0 } };
        // Where (x - z_x) << shift can wrap int32 (s_x / s_y of about 2^23 or more for int8, 2^16
        // for int16), TFLM's requantization of a negative x can come out positive and one of a
        // positive x negative, so the rule "z_y below the zero point" no longer holds: the RELU is
        // then TFLM's own steps, the requantization of every x (wrapping) and a Clamp at [z_y, hi].
        const { shift } = quantizeMultiplier(Math.fround(Math.fround(x.scale[0]!) / Math.fround(y.scale[0]!)));
        const wraps = shift > 0 && ((hi - x.zeroPoint[0]!) * 2 ** shift > INT32_MAX || (lo - x.zeroPoint[0]!) * 2 ** shift < -(2 ** 31));
        if (!wraps) return checked(importer, relu);
        const wrapped = importer.intermediate(`${output}_unclamped`, dtype, y);
        const requantize: Node = { name: op.name, op: 'TFLiteRequantize', inputs, outputs: [output], attrs: { ratio: 'float32' } };
        checked(importer, requantize);
        return [{ ...requantize, outputs: [wrapped] }, { name: `${op.name}_clamp`, op: 'Clamp', inputs: [wrapped], outputs: [output], attrs: { clamp: [y.zeroPoint[0]!, hi] } }];
      }
      if (activation === Activation.RELU6) {
        const [scale, zeroPoint] = [x.scale[0]!, x.zeroPoint[0]!];
        // FloatToQuantizedType: C's round (half away from zero) of the float32 quotient, saturated.
        const six = Math.min(hi, Math.max(lo, roundHalfAway(Math.fround(6 / Math.fround(scale))) + zeroPoint));
        return checked(importer, { name: op.name, op: 'Clamp', inputs, outputs: [output], attrs: { clamp: [zeroPoint, six] } });
      }
      requireSameQuantization(importer, inputs, output);
    }
    return checked(importer, { name: op.name, op: 'Clamp', inputs, outputs: [output], attrs: { clamp: tfliteClamp(activationBounds(activation)!, y, dtype) } });
  };
}
