/** DequantizeLinear → Conv → QuantizeLinear becomes QLinearConv (see OnnxImport 'qdq' in src/frontend/onnx/import-context.ts). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importWindowAttrs } from '../import/window.ts';

export function importQdqConv(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(2);
  const [x, w] = node.inputs as [string, string];
  const bias = node.input(2);
  const weights = ctx.constant(node, w, 'weight');
  if (!weights.quant) throw new UserError(`${node.label}: the weight must come through a DequantizeLinear`);
  if (!ctx.graph.tensors.get(x)?.quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
  if (bias !== '') {
    const b = ctx.constant(node, bias, 'bias');
    if (b.dtype !== 'int32') throw new UserError(`${node.label}: the bias must be int32 behind a DequantizeLinear, found ${b.dtype}`);
  }
  return {
    name: node.name,
    op: 'QLinearConv',
    inputs: bias === '' ? [x, w] : [x, w, bias],
    outputs: [node.outputs[0]!],
    attrs: { ...importWindowAttrs(node, node.ints('kernel_shape', weights.shape.slice(2)), { allow1d: true }), group: node.int('group', 1) },
  };
}

export const qlinearConvQdqImports: OnnxImport[] = [{ domain: '', opType: 'Conv', form: 'qdq', import: importQdqConv }];
