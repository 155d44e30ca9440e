/** ONNX importers of the src/ops/qlinear-softmax family: com.microsoft.QLinearSoftmax, Softmax (qdq). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
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

/** Softmax at the centre of DequantizeLinear → Softmax → QuantizeLinear. */
function importQdqSoftmax(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(1);
  const x = node.input(0);
  const input = ctx.graph.tensors.get(x);
  if (!input?.quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
  if (input.quant.scale.length !== 1) throw new UserError(`${node.label}: the input must be dequantized per tensor (one scale)`);
  const opset = ctx.opset('') ?? 13;
  return {
    name: node.name,
    op: 'QLinearSoftmax',
    inputs: [x],
    outputs: [node.outputs[0]!],
    attrs: { opset, axis: node.int('axis', opset < 13 ? 1 : -1), qdq: 1 },
  };
}

export const SOFTMAX_IMPORTS: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QLinearSoftmax', import: importQLinearSoftmax },
  { domain: '', opType: 'Softmax', form: 'qdq', import: importQdqSoftmax },
];

export const qlinearSoftmaxImports: OnnxImport[] = SOFTMAX_IMPORTS;
