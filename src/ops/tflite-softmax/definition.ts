/**
 * TFLiteSoftmax: TFLite's int8 SOFTMAX as TFLM computes it (softmax_common.cc's prepare, then
 * reference_ops::Softmax in gemmlowp fixed point): along the last axis, each difference x - max
 * to Q5.26 by beta * s_x, exp in Q0.31, the row sum in Q12.19, TFLM's GetReciprocal, and the
 * output in units of 1/256 minus 128; differences below diff_min give -128.
 *
 * IR: inputs [x], outputs [y], both int8 per tensor; attrs.beta (SoftmaxOptions.beta, float32).
 * The output must be quantized with scale 1/256 and zero point -128, as TFLM requires.
 * No ONNX op maps here; the TFLite frontend creates it. The kernel and its reference are
 * QLinearSoftmax's tflite path with TFLM's fixed output (no rescale, shift 23).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import type { SoftmaxTfliteParams } from '../qlinear-softmax/definition.ts';
import { SOFTMAX_DIFF_INTEGER_BITS } from '../qlinear-softmax/definition.ts';
import { fixedPointInputScaling, tflmUnaryIo } from '../common/tflm-input-scaling.ts';

export const SOFTMAX_OUTPUT = { scale: 1 / 256, zeroPoint: -128 } as const;
/** Q0.31 probability to units of 2^-8: num_bits_over_unit + 31 - 8 in TFLM. */
const OUTPUT_SHIFT = 31 - 8;
/** The Q12.19 sum of exps holds rows up to 4095 elements of exp 1. */
const MAX_ROW = 4095;

function fail(node: Node, why: string): never {
  throw new UserError(`node '${node.name}' (${node.op}): ${why}`);
}

export function inferTfliteSoftmax(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  if (x.shape.length === 0) fail(node, 'the input must have at least one dimension');
  if (typeof node.attrs.beta !== 'number' || !(node.attrs.beta > 0)) fail(node, `beta must be a positive number, found ${String(node.attrs.beta)}`);
  return [{ shape: [...x.shape], dtype: 'int8' }];
}

export function prepareTfliteSoftmax(node: Node, graph: Graph): SoftmaxTfliteParams {
  const input = tflmUnaryIo(node, graph, SOFTMAX_OUTPUT);
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
    outputShift: OUTPUT_SHIFT,
    zeroPoint: SOFTMAX_OUTPUT.zeroPoint,
  };
  return params;
}
