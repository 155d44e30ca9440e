/** ONNX importers of the src/ops/reshape family: Reshape, Reshape (qdq). */
import type { OnnxImport } from '../import-context.ts';
import { qdqForm } from '../qdq/view.ts';

const importReshape: OnnxImport['import'] = (node, ctx) => {
  node.requireInputs(2);
  const shape = ctx.constant(node, node.input(1), 'shape');
  ctx.declareOutput(node.outputs[0]!);
  return {
    name: node.name,
    op: 'Reshape',
    inputs: [node.input(0)],
    outputs: [node.outputs[0]!],
    attrs: { shape: Array.from(shape.data as BigInt64Array, Number), allowzero: node.int('allowzero', 0) },
  };
};

export const reshapeImports: OnnxImport[] = [
  { domain: '', opType: 'Reshape', import: importReshape },
  { domain: '', opType: 'Reshape', form: 'qdq', import: qdqForm(importReshape) },
];
