/** The importer's part of the zero-point inputs of ConvInteger and MatMulInteger (src/ops/common/zero-point-inputs.ts has the rest). */
import type { ImportContext, OnnxNodeView } from '../import-context.ts';

/** The importer's part: a zero point, when given, must be a constant. Returns its name or ''. */
export function importZeroPointInput(node: OnnxNodeView, ctx: ImportContext, index: number, role: string): string {
  const name = node.input(index);
  if (name !== '') ctx.constant(node, name, `${role} zero point`);
  return name;
}
