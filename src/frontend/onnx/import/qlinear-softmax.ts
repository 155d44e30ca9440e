/** ONNX importers of the src/ops/qlinear-softmax family: com.microsoft.QLinearSoftmax (the QDQ form is ../qdq/qlinear-softmax.ts). */
import type { Node } from '../../../ir/graph.ts';
import { importUnaryQLinearIo } from './qoperator-unary.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

/** com.microsoft QLinearSoftmax: (X, X_scale, X_zero_point?, Y_scale, Y_zero_point?); axis, opset. */
function importQLinearSoftmax(node: OnnxNodeView, ctx: ImportContext): Node {
  const { x, zeroPointType } = importUnaryQLinearIo(node, ctx);
  // ONNX Runtime requires the opset attribute; without one, the model's ai.onnx opset, else 13.
  const opset = node.int('opset', ctx.opset('') ?? 13);
  // The com.microsoft schema's default axis is -1 whatever the opset (ONNX Runtime 1.30 agrees).
  return {
    name: node.name,
    op: 'QLinearSoftmax',
    inputs: [x],
    outputs: [node.outputs[0]!],
    attrs: { opset, axis: node.int('axis', -1), ...(zeroPointType ? { zero_point_type: zeroPointType } : {}) },
  };
}

export const SOFTMAX_IMPORTS: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QLinearSoftmax', import: importQLinearSoftmax },
];

export const qlinearSoftmaxImports: OnnxImport[] = SOFTMAX_IMPORTS;
