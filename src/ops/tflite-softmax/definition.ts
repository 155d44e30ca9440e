/**
 * TFLiteSoftmax: TFLite's SOFTMAX along the last axis as TFLM computes it (softmax_common.cc's
 * prepare).
 *
 * int8 (reference_ops::Softmax in gemmlowp fixed point): each difference x - max to Q5.26 by
 * beta * s_x, exp in Q0.31, the row sum in Q12.19, TFLM's GetReciprocal, and the output in units
 * of 1/256 minus 128; differences below diff_min give -128. The kernel and its reference are
 * QLinearSoftmax's tflite path with TFLM's fixed output (no rescale, shift 23).
 *
 * int16 (reference_ops::SoftmaxInt16): zero points 0 and an output scale within 0.1% of 1/32768.
 * Each difference x - max is scaled by s_x · beta / (10 / 65535) (TFLM's MultiplyByQuantizedMultiplier,
 * so [-10, 0] spans 65535 units), moved to [-32768, 32767] and looked up with interpolation in a
 * 513-entry exp table (Q0.15); the int32 sum is normalised by its leading zeros to [1, 2) and
 * its reciprocal read from a 1/(1 + x) table; each exp times that, shifted back, is the output
 * in units of 1/32768, clamped to [0, 32767].
 *
 * int8 → int16 (reference_ops::Softmax with an int16 output): the int8 method, its probability
 * shifted to units of 1/65536 (num_bits_over_unit + 31 - 16) and offset by -32768; TFLM requires
 * zero point -32768 and a scale within 0.1% of 1/65536.
 *
 * IR: inputs [x], outputs [y], int8 → int8, int8 → int16 or int16 → int16, per tensor; attrs.beta
 * (SoftmaxOptions.beta, float32). int8 output quantization must be scale 1/256, zero point -128,
 * as TFLM requires.
 * No ONNX op maps here; the TFLite frontend creates it.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import type { SoftmaxTfliteParams } from '../qlinear-softmax/definition.ts';
import { SOFTMAX_DIFF_INTEGER_BITS } from '../qlinear-softmax/definition.ts';
import { MAX_LEFT_SHIFT, quantizeMultiplier, type QuantizedMultiplier } from '../../numerics/requantize.ts';
import { fixedPointInputScaling, tflmInt16UnaryIo, tflmUnaryIo } from '../common/tflm-input-scaling.ts';
import { quantOf } from '../common/values.ts';

export const SOFTMAX_OUTPUT = { scale: 1 / 256, zeroPoint: -128 } as const;
/** The int8 → int16 form's output: units of 1/65536 from -32768. */
const SOFTMAX_OUTPUT_16 = { scale: 1 / 65536, zeroPoint: -32768 } as const;
/** Q0.31 probability to units of 2^-8 (or 2^-16 for an int16 output): num_bits_over_unit + 31 - 8 (16) in TFLM. */
const OUTPUT_SHIFT = 31 - 8;
const OUTPUT_SHIFT_16 = 31 - 16;
/** The Q12.19 sum of exps holds rows up to 4095 elements of exp 1. */
const MAX_ROW = 4095;
/** int16: TFLM sums the Q0.15 exps (each at most 32767) in an int32. */
const MAX_ROW_INT16 = Math.floor((2 ** 31 - 1) / 32767);
/** int16: the exp table's input unit, [-10, 0] over 65535 steps (TFLM's divisor, in double). */
const EXP_TABLE_STEP = 10.0 / 65535.0;

/**
 * The int16 kernel's constants. Rows are the last axis, contiguous: `outer` rows of `length`.
 * The kernel writes each row's exps into the output before it rescales them there, as TFLM's
 * does, so the op never runs in place.
 */
export interface TfliteSoftmax16Params {
  dtype: 'int16';
  outer: number;
  length: number;
  /** x - max to the exp table's units: TFLM's QuantizeMultiplier of s_x · beta / (10 / 65535). */
  input: QuantizedMultiplier;
}

export type TfliteSoftmaxParams = SoftmaxTfliteParams | TfliteSoftmax16Params;

function fail(node: Node, why: string): never {
  throw new UserError(`node '${node.name}' (${node.op}): ${why}`);
}

export function inferTfliteSoftmax(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  if (x.shape.length === 0) fail(node, 'the input must have at least one dimension');
  if (typeof node.attrs.beta !== 'number' || !(node.attrs.beta > 0)) fail(node, `beta must be a positive number, found ${String(node.attrs.beta)}`);
  // int8 → int16 is the one form whose types differ.
  const wide = x.dtype === 'int16' || tensorOf(graph, node.outputs[0]!).dtype === 'int16';
  return [{ shape: [...x.shape], dtype: wide ? 'int16' : 'int8' }];
}

function prepareInt16(node: Node, graph: Graph): TfliteSoftmax16Params {
  const { input, output } = tflmInt16UnaryIo(node, graph);
  // TF_LITE_ENSURE_NEAR in float32: |s_y - 1/32768| <= 0.001 / 32768.
  const f = Math.fround;
  if (!(Math.abs(f(f(output.scale) - f(1 / 32768))) <= f(f(0.001) / 32768))) {
    fail(node, `the output scale must be 1/32768 within 0.1% (TFLM's int16 kernel), found ${output.scale}`);
  }
  const shape = tensorOf(graph, node.inputs[0]!).shape;
  const rowLength = shape[shape.length - 1]!;
  if (rowLength > MAX_ROW_INT16) fail(node, `rows of ${rowLength} elements could overflow TFLM's int32 sum of exps (at most ${MAX_ROW_INT16})`);
  // In double from the float32 scale and beta, as TFLM.
  const real = Math.fround(input.scale) * Math.fround(node.attrs.beta as number) / EXP_TABLE_STEP;
  const multiplier = quantizeMultiplier(real);
  // TFLM's int32 shift would overflow beyond this (the C shifts a uint32, at most MAX_LEFT_SHIFT).
  if (multiplier.shift > MAX_LEFT_SHIFT) fail(node, `beta * input scale (${node.attrs.beta} * ${input.scale}) is too large for TFLM's int16 softmax`);
  const params: TfliteSoftmax16Params = { dtype: 'int16', outer: shape.slice(0, -1).reduce((a, b) => a * b, 1), length: rowLength, input: multiplier };
  return params;
}

export function prepareTfliteSoftmax(node: Node, graph: Graph): TfliteSoftmaxParams {
  if (tensorOf(graph, node.inputs[0]!).dtype === 'int16') return prepareInt16(node, graph);
  const wideOutput = tensorOf(graph, node.outputs[0]!).dtype === 'int16';
  const input = wideOutput ? int8ToInt16Io(node, graph) : tflmUnaryIo(node, graph, SOFTMAX_OUTPUT, 'scale and zero point');
  const shape = tensorOf(graph, node.inputs[0]!).shape;
  const rowLength = shape[shape.length - 1]!;
  if (rowLength > MAX_ROW) fail(node, `rows of ${rowLength} elements are longer than TFLM's Q12.19 sum of exps holds (${MAX_ROW})`);
  const beta = node.attrs.beta as number;
  // PreprocessSoftmaxScaling in double from the float32 beta and scale; TFLM requires a multiplier above one.
  const real = beta * input.scale * 2 ** (31 - SOFTMAX_DIFF_INTEGER_BITS);
  if (!(real > 1)) fail(node, `beta * input scale (${beta} * ${input.scale}) is below 2^-26, which TFLM's softmax rejects`);
  const scaling = fixedPointInputScaling(beta * input.scale, SOFTMAX_DIFF_INTEGER_BITS);
  const params: SoftmaxTfliteParams = {
    mode: 'tflite',
    geometry: { outer: shape.slice(0, -1).reduce((a, b) => a * b, 1), axis: rowLength, inner: 1 },
    inputMultiplier: scaling.multiplier,
    inputLeftShift: scaling.leftShift,
    diffMin: -scaling.radius,
    outputMultiplier: 0,
    outputShift: wideOutput ? OUTPUT_SHIFT_16 : OUTPUT_SHIFT,
    zeroPoint: wideOutput ? SOFTMAX_OUTPUT_16.zeroPoint : SOFTMAX_OUTPUT.zeroPoint,
  };
  return params;
}

/** softmax_common.cc for an int8 input and an int16 output: zero point -32768, scale 1/65536 within 0.1% (float32). */
function int8ToInt16Io(node: Node, graph: Graph): { scale: number; zeroPoint: number } {
  const [xq, yq] = [quantOf(graph, node, node.inputs[0]!, 'input'), quantOf(graph, node, node.outputs[0]!, 'output')];
  if (xq.scale.length !== 1 || yq.scale.length !== 1) fail(node, 'input and output must be quantized per tensor');
  const f = Math.fround;
  const scale = yq.scale[0]!;
  if (yq.zeroPoint[0] !== SOFTMAX_OUTPUT_16.zeroPoint || !(Math.abs(f(f(scale) - f(1 / 65536))) <= f(f(0.001) / 65536))) {
    fail(node, `an int16 output must have zero point -32768 and scale 1/65536 within 0.1% (TFLM's int8 → int16 kernel), found scale ${scale} and zero point ${yq.zeroPoint[0]}`);
  }
  return { scale: xq.scale[0]!, zeroPoint: xq.zeroPoint[0]! };
}
