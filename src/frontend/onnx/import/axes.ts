/** Axes given as an attribute (older opsets) or as a constant int64 input (newer ones). */
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView } from '../import-context.ts';

/** The axes of a Squeeze, Unsqueeze, Pad or Resize: the attribute if present, else constant input `index`, else undefined. */
export function importAxes(node: OnnxNodeView, ctx: ImportContext, index: number): number[] | undefined {
  if (node.has('axes')) return node.ints('axes', []);
  const name = node.input(index);
  if (name === '') return undefined;
  const t = ctx.constant(node, name, 'axes');
  if (t.dtype !== 'int64' && t.dtype !== 'int32') throw new UserError(`${node.label}: axes must be int64, found ${t.dtype}`);
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}
