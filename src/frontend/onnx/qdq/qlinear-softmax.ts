/** The QDQ form of the src/ops/qlinear-softmax family: Softmax (qdq). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

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

export const qlinearSoftmaxQdqImports: OnnxImport[] = [{ domain: '', opType: 'Softmax', form: 'qdq', import: importQdqSoftmax }];
