/**
 * TFLiteSub: TFLite's SUB on int8 or int16 tensors as TFLM computes it (sub_common.cc's
 * CalculateOpDataSub, then reference_ops' SubElementwise or BroadcastQuantSubSlow, which share
 * one arithmetic): ADD's integer method with the scaled operands subtracted. Both inputs (less
 * their zero points) are shifted left by 20 (int8) or 15 (int16), scaled by their Q31 multipliers
 * (s_x / 2max(s_x, s_y) and s_y / 2max), subtracted in int32, scaled by the output multiplier
 * (2max / (2^shift s_out)), plus the output zero point, clamped to the fused activation's range.
 *
 * Unlike ADD, TFLM forms the three ratios in float32 and widens only the quotients to double, so
 * a multiplier can differ from ADD's in its low bits, and with it an output by one.
 *
 * IR: inputs [A, B], outputs [A - B]; all int8 or all int16, quantized per tensor; numpy
 * broadcasting (TFLM's BroadcastBinaryOpSimple is numpy's rule too); attrs.clamp optional (a
 * fused activation). No ONNX op maps here (ONNX's Sub on quantized tensors is a QDQ pattern of
 * float ops); the TFLite frontend creates it, and it computes TFLM's bytes in either rounding mode.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { OutputInfo } from '../op.ts';
import { broadcastPlan, type BroadcastPlan } from '../common/broadcast.ts';
import { activationRange } from '../common/activation.ts';
import { quantOf } from '../common/values.ts';
import { tflmAddSubConstants, type TflmAddSubConstants } from '../qlinear-add/definition.ts';
import { inferQuantizedBinary } from '../common/qlinear-binary.ts';

export interface TfliteSubParams {
  dtype: 'int8' | 'int16';
  /** Iteration over the output, with A's and B's strides. */
  plan: BroadcastPlan;
  actMin: number;
  actMax: number;
  /** x is A and y is B. */
  constants: TflmAddSubConstants;
}

export function inferTfliteSub(node: Node, graph: Graph): OutputInfo[] {
  return [inferQuantizedBinary(node, graph, ['int8', 'int16'])];
}

export function prepareTfliteSub(node: Node, graph: Graph): TfliteSubParams {
  const [a, b] = node.inputs as [string, string];
  const out = tensorOf(graph, node.outputs[0]!);
  const [aq, bq, yq] = [quantOf(graph, node, a, 'A'), quantOf(graph, node, b, 'B'), quantOf(graph, node, out.name, 'output')];
  const quant = (q: typeof aq) => ({ scale: q.scale[0]!, zeroPoint: q.zeroPoint[0]! });
  const [actMin, actMax] = activationRange(node, graph);
  return {
    dtype: out.dtype === 'int16' ? 'int16' : 'int8',
    plan: broadcastPlan(tensorOf(graph, a).shape, tensorOf(graph, b).shape, out.shape),
    actMin,
    actMax,
    constants: tflmAddSubConstants(node, quant(aq), quant(bq), quant(yq), out.dtype, 'float32'),
  };
}
