/** ONNX importers of the src/ops/float-reduce-mean family: ReduceMean (float). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

export function importFloatReduceMean(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(1);
  const opset = ctx.opset('') ?? 18;
  let axes: number[] = [];
  if (opset >= 18) {
    if (node.has('axes')) throw new UserError(`${node.label}: from opset 18 the axes are an input, not an attribute`);
    const name = node.input(1);
    if (name !== '') {
      const t = ctx.constant(node, name, 'axes');
      if (t.dtype !== 'int64') throw new UserError(`${node.label}: axes must be int64, found ${t.dtype}`);
      axes = Array.from(t.data as BigInt64Array, Number);
    }
  } else {
    if (node.input(1) !== '') throw new UserError(`${node.label}: before opset 18 the axes are an attribute, not an input`);
    axes = node.ints('axes', []);
  }
  ctx.declareOutput(node.outputs[0]!, 'float32');
  return {
    name: node.name,
    op: 'FloatReduceMean',
    inputs: [node.input(0)],
    outputs: [node.outputs[0]!],
    attrs: { axes, keepdims: node.int('keepdims', 1) ? 1 : 0, noop_with_empty_axes: opset >= 18 && node.int('noop_with_empty_axes', 0) ? 1 : 0 },
  };
}

export const floatReduceMeanImports: OnnxImport[] = [{ domain: '', opType: 'ReduceMean', form: 'float', import: importFloatReduceMean }];
