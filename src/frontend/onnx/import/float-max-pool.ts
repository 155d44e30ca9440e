/** ONNX importers of the src/ops/float-max-pool family: MaxPool (float). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importFloatWindowAttrs } from './float-window.ts';

export function importFloatMaxPool(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(1);
  if (node.outputs.length > 1 && node.outputs[1] !== '') throw new UserError(`${node.label}: the Indices output is not supported`);
  ctx.declareOutput(node.outputs[0]!, 'float32');
  return {
    name: node.name,
    op: 'FloatMaxPool',
    inputs: [node.input(0)],
    outputs: [node.outputs[0]!],
    attrs: importFloatWindowAttrs(node),
  };
}

export const floatMaxPoolImports: OnnxImport[] = [{ domain: '', opType: 'MaxPool', form: 'float', import: importFloatMaxPool }];
