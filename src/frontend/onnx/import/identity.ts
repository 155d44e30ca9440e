/** ONNX importers of the src/ops/identity family: Identity, Identity (qdq). */
import type { OnnxImport } from '../import-context.ts';
import { qdqForm } from '../qdq/view.ts';

const importIdentity: OnnxImport['import'] = (node, ctx) => {
  node.requireInputs(1);
  ctx.declareOutput(node.outputs[0]!);
  return { name: node.name, op: 'Identity', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: {} };
};

export const identityImports: OnnxImport[] = [
  { domain: '', opType: 'Identity', import: importIdentity },
  { domain: '', opType: 'Identity', form: 'qdq', import: qdqForm(importIdentity) },
];
