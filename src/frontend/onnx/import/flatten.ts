/** ONNX importers of the src/ops/flatten family: Flatten, Flatten (qdq). */
import type { OnnxImport } from '../import-context.ts';
import { qdqForm } from '../qdq/view.ts';

const importFlatten: OnnxImport['import'] = (node, ctx) => {
  node.requireInputs(1);
  ctx.declareOutput(node.outputs[0]!);
  return { name: node.name, op: 'Flatten', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: { axis: node.int('axis', 1) } };
};

export const flattenImports: OnnxImport[] = [
  { domain: '', opType: 'Flatten', import: importFlatten },
  { domain: '', opType: 'Flatten', form: 'qdq', import: qdqForm(importFlatten) },
];
