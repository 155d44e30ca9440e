/** ONNX importers of the src/ops/qlinear-conv family: QLinearConv. */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importWindowAttrs } from './window.ts';

export function importQLinearConv(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(8);
  const [x, xScale, xZero, w, wScale, wZero, yScale, yZero] = node.inputs as [string, string, string, string, string, string, string, string];
  const bias = node.input(8);
  const weights = ctx.constant(node, w, 'weight');
  if (weights.shape.length !== 4 && weights.shape.length !== 3) {
    throw new UserError(`${node.label}: only 1-D and 2-D convolution are supported (weight rank ${weights.shape.length})`);
  }
  ctx.annotate(node, x, ctx.quantization(node, xScale, xZero, 'input'));
  const wQuant = ctx.quantization(node, wScale, wZero, 'weight');
  ctx.annotate(node, w, ctx.alongAxis(wQuant, 0));
  if (bias !== '' && ctx.constant(node, bias, 'bias').dtype !== 'int32') throw new UserError(`${node.label}: bias must be int32`);
  ctx.declareOutput(node.outputs[0]!, ctx.zeroPointType(node, yZero), ctx.quantization(node, yScale, yZero, 'output'));
  const kernelShape = node.ints('kernel_shape', weights.shape.slice(2));
  return {
    name: node.name,
    op: 'QLinearConv',
    inputs: bias === '' ? [x, w] : [x, w, bias],
    outputs: [node.outputs[0]!],
    attrs: { ...importWindowAttrs(node, kernelShape, { allow1d: true }), group: node.int('group', 1) },
  };
}

export const qlinearConvImports: OnnxImport[] = [{ domain: '', opType: 'QLinearConv', import: importQLinearConv }];
