/** ONNX importers of the src/ops/qgemm family: com.microsoft.QGemm. */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

export function importQGemm(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(6);
  const [a, aScale, aZero, b, bScale, bZero] = node.inputs as [string, string, string, string, string, string];
  const [c, yScale, yZero] = [node.input(6), node.input(7), node.input(8)];
  const transB = node.int('transB', 0);
  const bTensor = ctx.constant(node, b, 'B (weights)');
  if (bTensor.shape.length !== 2) throw new UserError(`${node.label}: B must be 2-D, got [${bTensor.shape}]`);
  ctx.annotate(node, a, ctx.quantization(node, aScale, aZero, 'A'));
  const bQuant = ctx.quantization(node, bScale, bZero, 'B');
  ctx.annotate(node, b, ctx.alongAxis(bQuant, transB ? 0 : 1));
  if (c !== '' && ctx.constant(node, c, 'C (bias)').dtype !== 'int32') throw new UserError(`${node.label}: C (bias) must be int32`);
  const output = node.outputs[0]!;
  if (yScale === '' && yZero !== '') throw new UserError(`${node.label}: y_zero_point is given without y_scale`);
  if (yScale !== '' && yZero === '') {
    throw new UserError(`${node.label}: y_scale is given without y_zero_point; give both for a quantized output, neither for float32`);
  }
  if (yScale !== '') ctx.declareOutput(output, ctx.zeroPointType(node, yZero), ctx.quantization(node, yScale, yZero, 'output'));
  else ctx.declareOutput(output, 'float32');
  return {
    name: node.name,
    op: 'QGemm',
    inputs: c === '' ? [a, b] : [a, b, c],
    outputs: [output],
    attrs: { transA: node.int('transA', 0), transB, alpha: node.float('alpha', 1) },
  };
}

export const qgemmImports: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QGemm', import: importQGemm },
];
