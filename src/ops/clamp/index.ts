/**
 * Clamp (internal): int8 saturation to attrs.activation, a real-valued [min, max]. The QDQ fusion makes one
 * from a Relu or Clip that sits between a fused op and its QuantizeLinear; the activation-fusion
 * pass then folds it into the producer's requantization whenever it can.
 *
 * With attrs.levels, an int8 [lo, hi] instead, the bytes are clamped as they are and the output
 * keeps its own declared quantization, even one unlike the input's: TFLM's RELU6 does this (its
 * bounds come from the input's quantization alone). Such a Clamp never fuses.
 */
import type { Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { defineOp } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { activationRange } from '../common/activation.ts';
import { requireDtype } from '../common/values.ts';

/** attrs.levels: int8 bounds that apply to the bytes whatever the quantization. */
export function clampLevels(node: Node): [number, number] | undefined {
  const levels = node.attrs.levels;
  if (levels === undefined) return undefined;
  if (!Array.isArray(levels) || levels.length !== 2 || !levels.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= -128 && v <= 127)) {
    throw new Error(`internal: Clamp '${node.name}' levels ${JSON.stringify(levels)}`);
  }
  return [levels[0] as number, levels[1] as number];
}

export const clamp = defineOp<[lo: number, hi: number]>({
  op: 'Clamp',
  summary: 'internal: saturate int8 to [min, max]',
  layout: 'any',
  // tg_clamp_s8 reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer(node, graph) {
    const x = tensorOf(graph, node.inputs[0]!);
    if (clampLevels(node)) {
      requireDtype(node, x, ['int8'], 'input');
      requireDtype(node, tensorOf(graph, node.outputs[0]!), ['int8'], 'output');
      return [{ shape: [...x.shape] }];
    }
    return [{ shape: [...x.shape], dtype: x.dtype, quant: x.quant }];
  },
  prepare: (node, graph) => clampLevels(node) ?? activationRange(node, graph),
  reference(node, [x], graph) {
    const [lo, hi] = node.params;
    const out = outputValue(graph, node);
    x!.data.forEach((v, i) => {
      out.data[i] = Math.min(hi, Math.max(lo, v as number));
    });
    return [out];
  },
  emit(node, graph, ctx) {
    const [lo, hi] = node.params;
    const count = tensorOf(graph, node.outputs[0]!).shape.reduce((a, b) => a * b, 1);
    return `tg_clamp_s8(${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count}, ${lo}, ${hi});`;
  },
});
