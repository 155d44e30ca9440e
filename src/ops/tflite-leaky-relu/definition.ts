/**
 * TFLiteLeakyRelu: TFLite's int8 and int16 LEAKY_RELU as TFLM computes it (leaky_relu_common.cc's
 * CalculateOpDataLeakyRelu, then reference_ops::QuantizeLeakyRelu): x - input_zp, scaled by one
 * of two Q31 multipliers prepared in double (s_x / s_y for x - zp >= 0, s_x * alpha / s_y
 * below), TFLite's double-rounding MultiplyByQuantizedMultiplier, + output_zp, clamped to the
 * type (int16 takes the same path with int16's bounds).
 *
 * IR: inputs [x], outputs [y], both int8 or both int16, per tensor; attrs.alpha (LeakyReluOptions.alpha,
 * float32; any sign). No ONNX op maps here; the TFLite frontend creates it.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { quantizedRange, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { MAX_LEFT_SHIFT, quantizeMultiplier, type QuantizedMultiplier } from '../../numerics/requantize.ts';
import type { OutputInfo } from '../op.ts';
import { int8PerTensorIo } from '../common/tflm-input-scaling.ts';

export interface TfliteLeakyReluParams {
  inputZeroPoint: number;
  outputZeroPoint: number;
  /** For x - zp >= 0: s_x / s_y. */
  identity: QuantizedMultiplier;
  /** For x - zp < 0: s_x * alpha / s_y. */
  alpha: QuantizedMultiplier;
  /** The storage type's bounds. */
  min: number;
  max: number;
}

export function inferTfliteLeakyRelu(node: Node, graph: Graph): OutputInfo[] {
  if (typeof node.attrs.alpha !== 'number' || !Number.isFinite(node.attrs.alpha)) {
    throw new UserError(`node '${node.name}' (${node.op}): alpha must be a finite number, found ${String(node.attrs.alpha)}`);
  }
  const x = tensorOf(graph, node.inputs[0]!);
  return [{ shape: [...x.shape], dtype: x.dtype }];
}

export function prepareTfliteLeakyRelu(node: Node, graph: Graph): TfliteLeakyReluParams {
  const { input, output } = int8PerTensorIo(node, graph, ['int8', 'int16']);
  // TFLM forms both products in float32 (the file's scales and alpha), then widens to double.
  const alpha = Math.fround(node.attrs.alpha as number);
  const identityReal = Math.fround(input.scale / output.scale);
  const alphaReal = Math.fround(Math.fround(input.scale * alpha) / output.scale);
  const identity = quantizeMultiplier(identityReal);
  const alphaMultiplier = quantizeMultiplier(alphaReal);
  // The C kernels' left shift stops at MAX_LEFT_SHIFT (TFLM's own DCHECK allows 30).
  for (const [what, real, m] of [['s_x / s_y', identityReal, identity], ['s_x * alpha / s_y', alphaReal, alphaMultiplier]] as const) {
    if (m.shift > MAX_LEFT_SHIFT) throw new UserError(`node '${node.name}' (${node.op}): ${what} = ${real} is too large for TFLM's LEAKY_RELU (at most 2^${MAX_LEFT_SHIFT - 1})`);
  }
  const [min, max] = quantizedRange(tensorOf(graph, node.outputs[0]!).dtype)!;
  const params: TfliteLeakyReluParams = { inputZeroPoint: input.zeroPoint, outputZeroPoint: output.zeroPoint, identity, alpha: alphaMultiplier, min, max };
  return params;
}
