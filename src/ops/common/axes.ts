/** Axes given as an attribute (older opsets) or as a constant int64 input (newer ones). */
import { UserError } from '../../errors.ts';
import type { ImportContext, OnnxNodeView } from '../../frontend/onnx/import-context.ts';

/** The axes of a Squeeze, Unsqueeze, Pad or Resize: the attribute if present, else constant input `index`, else undefined. */
export function importAxes(node: OnnxNodeView, ctx: ImportContext, index: number): number[] | undefined {
  if (node.has('axes')) return node.ints('axes', []);
  const name = node.input(index);
  if (name === '') return undefined;
  const t = ctx.constant(node, name, 'axes');
  if (t.dtype !== 'int64' && t.dtype !== 'int32') throw new UserError(`${node.label}: axes must be int64, found ${t.dtype}`);
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

/** Axes made non-negative for a given rank; out of range or repeated axes are the model's error. */
export function normalizeAxes(label: string, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => {
    if (a < -rank || a >= rank) throw new UserError(`${label}: axis ${a} is out of range for rank ${rank}`);
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length) throw new UserError(`${label}: axes [${axes}] repeat an axis`);
  return out;
}
