/** ONNX importers of the src/ops/qlinear-matmul family: QLinearMatMul. */
import type { Node } from '../../../ir/graph.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

export function importQLinearMatMul(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(8);
  const [a, aScale, aZero, b, bScale, bZero, yScale, yZero] = node.inputs as [string, string, string, string, string, string, string, string];
  const bTensor = ctx.constant(node, b, 'B (weights)');
  ctx.annotate(node, a, ctx.quantization(node, aScale, aZero, 'A'));
  const bQuant = ctx.quantization(node, bScale, bZero, 'B');
  ctx.annotate(node, b, ctx.alongAxis(bQuant, bTensor.shape.length - 1));
  ctx.declareOutput(node.outputs[0]!, ctx.zeroPointType(node, yZero), ctx.quantization(node, yScale, yZero, 'output'));
  return { name: node.name, op: 'QLinearMatMul', inputs: [a, b], outputs: [node.outputs[0]!], attrs: {} };
}

export const qlinearMatmulImports: OnnxImport[] = [{ domain: '', opType: 'QLinearMatMul', import: importQLinearMatMul }];
