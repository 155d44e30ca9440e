/**
 * TFLiteRequantize: TFLite's QUANTIZE between integer types as TFLM computes it
 * (quantize_common.cc, then reference_ops::Requantize): x - z_x times the Q31 multiplier of
 * s_x / s_y (the float32 scales divided in double), TFLite's double-rounding
 * MultiplyByQuantizedMultiplier, + z_y, clamped to the output type. A QUANTIZE int8 → int8 is not
 * this op: it is the Identity's 256-entry table (attrs.qdq), the same bytes for less work; only a
 * RELU whose left shift wraps makes an int8 → int8 one.
 *
 * IR: inputs [x], outputs [y], each int8, int16 or int32, per tensor. attrs.ratio 'float32' forms
 * s_x / s_y in float32 first, as TFLM's RELU does (CalculateReluOpData), whose requantization is
 * this op followed by a Clamp at [z_y, max].
 */
import type { DType, Graph, Node } from '../../ir/graph.ts';
import { quantizedRange, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { MAX_LEFT_SHIFT, quantizeMultiplier, type QuantizedMultiplier } from '../../numerics/requantize.ts';
import type { OutputInfo } from '../op.ts';
import { perTensorZeroPoint, quantOf, requireDtype } from '../common/values.ts';

export const REQUANTIZE_TYPES: DType[] = ['int8', 'int16', 'int32'];

export interface TfliteRequantizeParams {
  inputZeroPoint: number;
  outputZeroPoint: number;
  /** s_x / s_y. */
  multiplier: QuantizedMultiplier;
  /** The output type's bounds. */
  min: number;
  max: number;
}

export function inferTfliteRequantize(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, REQUANTIZE_TYPES, 'input');
  return [{ shape: [...x.shape] }];
}

export function prepareTfliteRequantize(node: Node, graph: Graph): TfliteRequantizeParams {
  const [x, y] = [tensorOf(graph, node.inputs[0]!), tensorOf(graph, node.outputs[0]!)];
  requireDtype(node, y, REQUANTIZE_TYPES, 'output');
  const [xq, yq] = [quantOf(graph, node, x.name, 'input'), quantOf(graph, node, y.name, 'output')];
  const real = node.attrs.ratio === 'float32' ? Math.fround(xq.scale[0]! / yq.scale[0]!) : xq.scale[0]! / yq.scale[0]!;
  const multiplier = quantizeMultiplier(real);
  if (multiplier.shift > MAX_LEFT_SHIFT) throw new UserError(`node '${node.name}' (${node.op}): s_x / s_y = ${real} is too large (at most 2^${MAX_LEFT_SHIFT - 1})`);
  const [min, max] = y.dtype === 'int32' ? [-(2 ** 31), 2 ** 31 - 1] : quantizedRange(y.dtype)!;
  return {
    inputZeroPoint: perTensorZeroPoint(graph, node, x.name, 'input'),
    outputZeroPoint: perTensorZeroPoint(graph, node, y.name, 'output'),
    multiplier,
    min,
    max,
  };
}
