/** ONNX importers of the src/ops/max-pool family: MaxPool. */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importWindowAttrs } from './window.ts';

export function importMaxPool(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(1);
  if (node.outputs.length > 1 && node.outputs[1] !== '') throw new UserError(`${node.label}: the Indices output is not supported`);
  if (node.int('storage_order', 0) !== 0) throw new UserError(`${node.label}: storage_order 1 is not supported`);
  if (!node.has('kernel_shape')) throw new UserError(`${node.label}: kernel_shape is required`);
  ctx.declareOutput(node.outputs[0]!);
  return {
    name: node.name,
    op: 'MaxPool',
    inputs: [node.input(0)],
    outputs: [node.outputs[0]!],
    attrs: importWindowAttrs(node, node.ints('kernel_shape', []), { allow1d: true }),
  };
}

export const maxPoolImports: OnnxImport[] = [
  { domain: '', opType: 'MaxPool', import: importMaxPool },
];
