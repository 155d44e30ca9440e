/** ONNX importers of the src/ops/qlinear-global-average-pool family: com.microsoft.QLinearGlobalAveragePool (the QDQ form is ../qdq/qlinear-global-average-pool.ts). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

/** com.microsoft QLinearGlobalAveragePool (X, x_scale, x_zero_point, y_scale, y_zero_point). */
export function importQLinearGlobalAveragePool(node: OnnxNodeView, ctx: ImportContext): Node {
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
  const xq = ctx.quantization(node, xScale, xZero, 'input');
  const yq = ctx.quantization(node, yScale, yZero, 'output');
  if (xq.scale.length !== 1 || yq.scale.length !== 1) throw new UserError(`${node.label}: input and output must be quantized per tensor`);
  ctx.annotate(node, x, xq);
  ctx.declareOutput(node.outputs[0]!, xTensor.dtype, yq);
  return {
    name: node.name,
    op: 'QLinearGlobalAveragePool',
    inputs: [x],
    outputs: [node.outputs[0]!],
    attrs: { channels_last: node.int('channels_last', 0) ? 1 : 0 },
  };
}

export const qlinearGlobalAveragePoolImports: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QLinearGlobalAveragePool', import: importQLinearGlobalAveragePool },
];
