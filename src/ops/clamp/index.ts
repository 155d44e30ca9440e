/**
 * Clamp (internal): saturates the bytes to attrs.clamp, an integer [lo, hi] in the output's
 * storage type (shifted with it by the uint8 → int8 rewrite), as every activation clamp is (see
 * OpDefinition.fusesActivation). The frontends make one from a Relu or Clip that sits between a
 * fused QDQ op and its QuantizeLinear, from TFLite's RELU, RELU6 and RELU_N1_TO_1, and from a
 * fused activation on an op that does not requantize.
 *
 * When the output is declared with the input's quantization (the usual case), it takes the
 * input's, and the activation-fusion pass folds the Clamp into a requantizing producer whenever it
 * can. When it is declared with another, the bytes are clamped as they are and the output keeps
 * its own quantization: TFLM's RELU6 does this (its bounds come from the input's quantization
 * alone). Such a Clamp never fuses.
 */
import { tensorOf } from '../../ir/graph.ts';
import { defineOp } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { activationRange, clampAttr } from '../common/activation.ts';
import { requireDtype } from '../common/values.ts';
import { sameQuantization } from '../common/requant-table.ts';

export const clamp = defineOp<[lo: number, hi: number]>({
  op: 'Clamp',
  summary: 'internal: saturate int8 or int16 to [min, max]',
  layout: 'any',
  // tg_clamp_s8 and _s16 read input[i] before they write output[i].
  inPlace: () => [0],
  infer(node, graph) {
    const x = tensorOf(graph, node.inputs[0]!);
    const y = tensorOf(graph, node.outputs[0]!);
    if (!clampAttr(node)) throw new Error(`internal: Clamp '${node.name}' has no clamp`);
    if (y.quant && !sameQuantization(x.quant, y.quant)) {
      requireDtype(node, x, ['int8', 'int16'], 'input');
      requireDtype(node, y, [x.dtype], 'output');
      return [{ shape: [...x.shape] }];
    }
    return [{ shape: [...x.shape], dtype: x.dtype, quant: x.quant }];
  },
  prepare: (node, graph) => activationRange(node, graph),
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
    const y = tensorOf(graph, node.outputs[0]!);
    const count = y.shape.reduce((a, b) => a * b, 1);
    return `tg_clamp_${y.dtype === 'int16' ? 's16' : 's8'}(${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count}, ${lo}, ${hi});`;
  },
});
