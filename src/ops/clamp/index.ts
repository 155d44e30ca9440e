/**
 * Clamp (internal): int8 saturation to attrs.activation, a real-valued [min, max]. The QDQ fusion makes one
 * from a Relu or Clip that sits between a fused op and its QuantizeLinear; the activation-fusion
 * pass then folds it into the producer's requantization whenever it can.
 */
import { tensorOf } from '../../ir/graph.ts';
import type { OpDefinition } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { activationRange } from '../common/activation.ts';

export const clamp: OpDefinition = {
  op: 'Clamp',
  summary: 'internal: saturate int8 to [min, max]',
  onnx: [],
  layout: 'any',
  // tg_clamp_s8 reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer(node, graph) {
    const x = tensorOf(graph, node.inputs[0]!);
    return [{ shape: [...x.shape], dtype: x.dtype, quant: x.quant }];
  },
  prepare(node, graph) {
    node.params = activationRange(node, graph);
  },
  reference(node, [x], graph) {
    const [lo, hi] = node.params as [number, number];
    const out = outputValue(graph, node);
    x!.data.forEach((v, i) => {
      out.data[i] = Math.min(hi, Math.max(lo, v as number));
    });
    return [out];
  },
  emit(node, graph, ctx) {
    const [lo, hi] = node.params as [number, number];
    const count = tensorOf(graph, node.outputs[0]!).shape.reduce((a, b) => a * b, 1);
    return `tg_clamp_s8(${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count}, ${lo}, ${hi});`;
  },
};
