/** ONNX importers of the src/ops/float-softmax family: Softmax (float). */
import type { Node } from '../../../ir/graph.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

export function importFloatSoftmax(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(1);
  const opset = ctx.opset('') ?? 13;
  ctx.declareOutput(node.outputs[0]!);
  return { name: node.name, op: 'FloatSoftmax', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: { opset, axis: node.int('axis', opset < 13 ? 1 : -1) } };
}

export const floatSoftmaxImports: OnnxImport[] = [{ domain: '', opType: 'Softmax', form: 'float', import: importFloatSoftmax }];
