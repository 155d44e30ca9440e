/** ONNX importers of the src/ops/qlinear-global-average-pool family: com.microsoft.QLinearGlobalAveragePool (the QDQ form is ../qdq/qlinear-global-average-pool.ts). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { qlinearPoolOperands } from './qlinear-average-pool.ts';

/** com.microsoft QLinearGlobalAveragePool (X, x_scale, x_zero_point, y_scale, y_zero_point). */
export function importQLinearGlobalAveragePool(node: OnnxNodeView, ctx: ImportContext): Node {
  const { x, xTensor, xScale, xZero, yScale, yZero } = qlinearPoolOperands(node, ctx);
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
