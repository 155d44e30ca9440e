/** The QDQ form of the src/ops/pad family: Pad (qdq). */
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importPadWith } from '../import/pad.ts';

export const importQdqPad = (node: OnnxNodeView, ctx: ImportContext) => importPadWith(node, ctx, true);

export const padQdqImports: OnnxImport[] = [{ domain: '', opType: 'Pad', form: 'qdq', import: importQdqPad }];
