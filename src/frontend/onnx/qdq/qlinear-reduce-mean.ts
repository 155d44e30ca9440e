/** The QDQ form of the src/ops/qlinear-reduce-mean family: ReduceMean (qdq), its only quantized form. */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

/** ONNX ReduceMean between a DequantizeLinear and a QuantizeLinear. */
export function importQdqReduceMean(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(1);
  const x = node.input(0);
  if (!ctx.graph.tensors.get(x)?.quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
  let axes: number[];
  if (node.has('axes')) {
    axes = node.ints('axes', []);
  } else if (node.input(1) !== '') {
    const t = ctx.constant(node, node.input(1), 'axes');
    if (t.dtype !== 'int64') throw new UserError(`${node.label}: axes must be int64`);
    axes = Array.from(t.data as BigInt64Array, Number);
  } else {
    axes = [];
  }
  const noop = node.int('noop_with_empty_axes', 0) !== 0;
  return {
    name: node.name,
    op: 'QLinearReduceMean',
    inputs: [x],
    outputs: [node.outputs[0]!],
    attrs: { axes, keepdims: node.int('keepdims', 1) ? 1 : 0, noop_with_empty_axes: noop ? 1 : 0 },
  };
}

export const qlinearReduceMeanQdqImports: OnnxImport[] = [{ domain: '', opType: 'ReduceMean', form: 'qdq', import: importQdqReduceMean }];
