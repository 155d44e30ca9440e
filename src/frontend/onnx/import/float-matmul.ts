/** ONNX importers of the src/ops/float-matmul family: MatMul (float). */
import type { Node } from '../../../ir/graph.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

export function importFloatMatMul(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(2);
  ctx.declareOutput(node.outputs[0]!, 'float32');
  return { name: node.name, op: 'FloatMatMul', inputs: [node.inputs[0]!, node.inputs[1]!], outputs: [node.outputs[0]!], attrs: {} };
}

export const floatMatmulImports: OnnxImport[] = [{ domain: '', opType: 'MatMul', form: 'float', import: importFloatMatMul }];
