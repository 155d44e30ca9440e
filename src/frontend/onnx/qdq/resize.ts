/** The QDQ form of the src/ops/resize family: Resize (qdq), Upsample (qdq). */
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importResizeWith } from '../import/resize.ts';

export const importQdqResize = (node: OnnxNodeView, ctx: ImportContext) => importResizeWith(node, ctx, true);

export const resizeQdqImports: OnnxImport[] = [
  { domain: '', opType: 'Resize', form: 'qdq', import: importQdqResize },
  { domain: '', opType: 'Upsample', form: 'qdq', import: importQdqResize },
];
