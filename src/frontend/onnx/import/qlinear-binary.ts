/** ONNX com.microsoft QLinearAdd / QLinearMul (src/ops/common/qlinear-binary.ts has the op; the QDQ form is ../qdq/qlinear-binary.ts). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView } from '../import-context.ts';
import { QLinearBinaryOp } from '../../../ops/common/qlinear-binary.ts';

const ROLES = ['A', 'A scale', 'A zero point', 'B', 'B scale', 'B zero point', 'C scale', 'C zero point'];

/** com.microsoft QLinearAdd / QLinearMul: (A, A_scale, A_zero_point?, B, B_scale, B_zero_point?, C_scale, C_zero_point?). */
export function importQLinearBinary(op: QLinearBinaryOp) {
  return (node: OnnxNodeView, ctx: ImportContext): Node => {
    for (const i of [0, 1, 3, 4, 6]) {
      if (node.input(i) === '') throw new UserError(`${node.label}: the ${ROLES[i]} input (${i}) is missing`);
    }
    const [a, aScale, aZero, b, bScale, bZero, cScale, cZero] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => node.input(i)) as [string, string, string, string, string, string, string, string];
    const zeroTypes = [aZero, bZero, cZero].filter((z) => z !== '').map((z) => ctx.zeroPointType(node, z));
    if (new Set(zeroTypes).size > 1) throw new UserError(`${node.label}: the zero points of A, B and C must have one type, found ${zeroTypes.join(', ')}`);
    const perTensor = (scale: string, zero: string, role: string) => {
      const q = ctx.quantization(node, scale, zero, role);
      if (q.scale.length !== 1) throw new UserError(`${node.label}: ${role} must be quantized per tensor (one scale), found ${q.scale.length} scales`);
      return q;
    };
    ctx.annotate(node, a, perTensor(aScale, aZero, 'A'));
    ctx.annotate(node, b, perTensor(bScale, bZero, 'B'));
    // With no zero point at all, C has A's type; typed now because a following importer may check it.
    ctx.declareOutput(node.outputs[0]!, zeroTypes[0] ?? ctx.graph.tensors.get(a)?.dtype ?? 'uint8', perTensor(cScale, cZero, 'C'));
    return { name: node.name, op, inputs: [a, b], outputs: [node.outputs[0]!], attrs: {} };
  };
}
