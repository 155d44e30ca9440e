/** ONNX importers of the src/ops/qlinear-average-pool family: com.microsoft.QLinearAveragePool (the QDQ form is ../qdq/qlinear-average-pool.ts). */
import type { AttrValue, Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { uint8OutputAttr } from '../../../ops/common/mean.ts';
import { importWindowAttrs } from './window.ts';

/**
 * Window attributes of a 1-D or 2-D pool, as 2-D IR attributes (a 1-D window is the 2-D one over
 * [1, L]). attrs.pool_rank records the spatial rank, which picks ONNX Runtime's kernel. A 1-D pool
 * also gets attrs.window_rank = 1: the end of import lifts its [N, C, L] input to [N, C, 1, L] (a
 * channels-last [N, L, C] one to [N, 1, L, C]; see ../nhwc.ts).
 */
export function importPoolWindow(node: OnnxNodeView, channelsLast: boolean): Record<string, AttrValue> {
  if (!node.has('kernel_shape')) throw new UserError(`${node.label}: kernel_shape is required`);
  const kernel = node.ints('kernel_shape', []);
  if (kernel.length !== 1 && kernel.length !== 2) throw new UserError(`${node.label}: only 1-D and 2-D pooling is supported (kernel_shape [${kernel}])`);
  const attrs = importWindowAttrs(node, kernel, { allow1d: true });
  const k = attrs.kernel_shape as number[];
  if (k.some((v) => v < 1)) throw new UserError(`${node.label}: kernel_shape must be >= 1`);
  if ((attrs.dilations as number[]).some((d) => d !== 1)) throw new UserError(`${node.label}: dilations other than 1 are not supported`);
  const pads = attrs.pads as number[];
  if (pads.some((p, i) => p >= k[i % 2]!)) throw new UserError(`${node.label}: pads [${pads}] must be smaller than the kernel [${k}]`);
  return { ...attrs, count_include_pad: node.int('count_include_pad', 0) ? 1 : 0, pool_rank: kernel.length, channels_last: channelsLast ? 1 : 0 };
}

function checkPerTensor(node: OnnxNodeView, ctx: ImportContext, scale: string, zeroPoint: string, role: string) {
  const q = ctx.quantization(node, scale, zeroPoint, role);
  if (q.scale.length !== 1) throw new UserError(`${node.label}: ${role} must be quantized per tensor`);
  return q;
}

/**
 * The operands of com.microsoft's QLinear pools (X, x_scale, x_zero_point, y_scale, y_zero_point),
 * checked: both scales given, X known, each zero point of X's type.
 */
export function qlinearPoolOperands(node: OnnxNodeView, ctx: ImportContext) {
  node.requireInputs(1);
  const [x, xScale, xZero, yScale, yZero] = [0, 1, 2, 3, 4].map((i) => node.input(i)) as [string, string, string, string, string];
  if (xScale === '' || yScale === '') throw new UserError(`${node.label}: x_scale and y_scale are required`);
  const xTensor = ctx.graph.tensors.get(x);
  if (!xTensor) throw new UserError(`${node.label}: input '${x}' is unknown`);
  for (const zp of [xZero, yZero]) {
    if (zp !== '' && ctx.constant(node, zp, 'zero point').dtype !== xTensor.dtype) {
      throw new UserError(`${node.label}: zero point '${zp}' must have the input's type ${xTensor.dtype}`);
    }
  }
  return { x, xTensor, xScale, xZero, yScale, yZero };
}

/** com.microsoft QLinearAveragePool (X, x_scale, x_zero_point, y_scale, y_zero_point). */
export function importQLinearAveragePool(node: OnnxNodeView, ctx: ImportContext): Node {
  const { x, xTensor, xScale, xZero, yScale, yZero } = qlinearPoolOperands(node, ctx);
  ctx.annotate(node, x, checkPerTensor(node, ctx, xScale, xZero, 'input'));
  ctx.declareOutput(node.outputs[0]!, xTensor.dtype, checkPerTensor(node, ctx, yScale, yZero, 'output'));
  return {
    name: node.name,
    op: 'QLinearAveragePool',
    inputs: [x],
    outputs: [node.outputs[0]!],
    attrs: { ...importPoolWindow(node, node.int('channels_last', 0) !== 0), uint8_output: uint8OutputAttr(ctx.graph, node.outputs[0]!) },
  };
}

export const qlinearAveragePoolImports: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QLinearAveragePool', import: importQLinearAveragePool },
];
