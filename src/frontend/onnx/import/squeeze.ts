/** ONNX importers of the src/ops/squeeze family: Squeeze, Squeeze (qdq). */
import type { OnnxImport } from '../import-context.ts';
import { importAxes } from './axes.ts';
import { qdqForm } from '../qdq/view.ts';

const importSqueeze: OnnxImport['import'] = (node, ctx) => {
  node.requireInputs(1);
  const axes = importAxes(node, ctx, 1);
  ctx.declareOutput(node.outputs[0]!);
  return { name: node.name, op: 'Squeeze', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: axes ? { axes } : ({} as Record<string, number[]>) };
};

export const squeezeImports: OnnxImport[] = [
  { domain: '', opType: 'Squeeze', import: importSqueeze },
  { domain: '', opType: 'Squeeze', form: 'qdq', import: qdqForm(importSqueeze) },
];
