/** ONNX importers of the src/ops/unsqueeze family: Unsqueeze, Unsqueeze (qdq). */
import { UserError } from '../../../errors.ts';
import type { OnnxImport } from '../import-context.ts';
import { importAxes } from './axes.ts';
import { qdqForm } from '../qdq/view.ts';

const importUnsqueeze: OnnxImport['import'] = (node, ctx) => {
  node.requireInputs(1);
  const axes = importAxes(node, ctx, 1);
  if (!axes) throw new UserError(`${node.label}: axes are required`);
  ctx.declareOutput(node.outputs[0]!);
  return { name: node.name, op: 'Unsqueeze', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: { axes } };
};

export const unsqueezeImports: OnnxImport[] = [
  { domain: '', opType: 'Unsqueeze', import: importUnsqueeze },
  { domain: '', opType: 'Unsqueeze', form: 'qdq', import: qdqForm(importUnsqueeze) },
];
