/** The (X, X_scale, X_zero_point?, Y_scale, Y_zero_point?) inputs of com.microsoft's unary QLinear ops. */
import type { DType } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView } from '../import-context.ts';

/**
 * Annotates X with its per-tensor quantization and declares the output with Y's, typed as the zero
 * points are (or as X is, without them). Returns X and the zero points' common type, if any is given.
 */
export function importUnaryQLinearIo(node: OnnxNodeView, ctx: ImportContext): { x: string; zeroPointType?: DType } {
  for (const [i, role] of [[0, 'X'], [1, 'X_scale'], [3, 'Y_scale']] as const) {
    if (node.input(i) === '') throw new UserError(`${node.label}: the ${role} input (${i}) is missing`);
  }
  const [x, xScale, xZero, yScale, yZero] = [0, 1, 2, 3, 4].map((i) => node.input(i)) as [string, string, string, string, string];
  const zeroTypes = [...new Set([xZero, yZero].filter((z) => z !== '').map((z) => ctx.zeroPointType(node, z)))];
  if (zeroTypes.length > 1) throw new UserError(`${node.label}: the zero points have different types (${zeroTypes.join(', ')})`);
  const perTensor = (scale: string, zero: string, role: string) => {
    const q = ctx.quantization(node, scale, zero, role);
    if (q.scale.length !== 1) throw new UserError(`${node.label}: ${role} must be quantized per tensor (one scale), found ${q.scale.length}`);
    return q;
  };
  ctx.annotate(node, x, perTensor(xScale, xZero, 'input'));
  // Typed now, not only by shape inference: a following op's importer checks it (a pool's zero points).
  const yType = zeroTypes[0] ?? ctx.graph.tensors.get(x)?.dtype ?? 'uint8';
  ctx.declareOutput(node.outputs[0]!, yType, perTensor(yScale, yZero, 'output'));
  return { x, zeroPointType: zeroTypes[0] };
}
