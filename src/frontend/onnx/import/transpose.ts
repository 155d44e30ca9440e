/** ONNX importers of the src/ops/transpose family: Transpose, Transpose (qdq). */
import type { AttrValue } from '../../../ir/graph.ts';
import type { OnnxImport } from '../import-context.ts';
import { qdqForm } from '../qdq/view.ts';

const importTranspose: OnnxImport['import'] = (node, ctx) => {
  node.requireInputs(1);
  ctx.declareOutput(node.outputs[0]!);
  const attrs: Record<string, AttrValue> = node.has('perm') ? { perm: node.ints('perm', []) } : {};
  return { name: node.name, op: 'Transpose', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs };
};

export const transposeImports: OnnxImport[] = [
  { domain: '', opType: 'Transpose', import: importTranspose },
  { domain: '', opType: 'Transpose', form: 'qdq', import: qdqForm(importTranspose) },
];
