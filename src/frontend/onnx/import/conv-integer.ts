/** ONNX importers of the src/ops/conv-integer family: ConvInteger. */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importWindowAttrs } from './window.ts';
import { importZeroPointInput } from './zero-point-inputs.ts';

export function importConvInteger(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(2);
  const [x, w] = node.inputs as [string, string];
  const weights = ctx.constant(node, w, 'weight');
  if (weights.shape.length !== 4 && weights.shape.length !== 3) {
    throw new UserError(`${node.label}: only 1-D and 2-D convolution are supported (weight rank ${weights.shape.length})`);
  }
  const xZero = importZeroPointInput(node, ctx, 2, 'input');
  const wZero = importZeroPointInput(node, ctx, 3, 'weight');
  ctx.declareOutput(node.outputs[0]!, 'int32');
  return {
    name: node.name,
    op: 'ConvInteger',
    inputs: [x, w, xZero, wZero],
    outputs: [node.outputs[0]!],
    attrs: { ...importWindowAttrs(node, node.ints('kernel_shape', weights.shape.slice(2)), { allow1d: true }), group: node.int('group', 1) },
  };
}

export const convIntegerImports: OnnxImport[] = [{ domain: '', opType: 'ConvInteger', import: importConvInteger }];
