/** The float Add / Mul at the centre of a QDQ pattern (src/ops/common/qlinear-binary.ts has the op). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView } from '../import-context.ts';
import { ortQdqPlan } from './ort-qdq.ts';
import { QLinearBinaryOp } from '../../../ops/common/qlinear-binary.ts';

/** The float Add or Mul at the centre of DequantizeLinear → op → QuantizeLinear (see OnnxImport in src/frontend/onnx/import-context.ts). */
export function importQdqBinary(op: QLinearBinaryOp) {
  return (node: OnnxNodeView, ctx: ImportContext): Node => {
    node.requireInputs(2);
    if (node.has('axis') || node.has('broadcast')) throw new UserError(`${node.label}: the legacy broadcast/axis attributes (opset < 7) are not supported`);
    const [a, b] = node.inputs as [string, string];
    for (const [name, role] of [[a, 'A'], [b, 'B']] as const) {
      const quant = ctx.graph.tensors.get(name)?.quant;
      if (!quant) throw new UserError(`${node.label}: input ${role} '${name}' must come through a DequantizeLinear`);
      if (quant.scale.length !== 1) throw new UserError(`${node.label}: input ${role} '${name}' must be dequantized per tensor (one scale), found ${quant.scale.length} scales`);
    }
    // int16 (TFLite's 16x8 ADD and MUL): ONNX Runtime runs it in float, which onnx rounding refuses (src/ops/common/onnx-int16.ts).
    if ([a, b, node.outputs[0]!].some((name) => ctx.graph.tensors.get(name)?.dtype === 'int16')) {
      return { name: node.name, op, inputs: [a, b], outputs: [node.outputs[0]!], attrs: { onnx_int16_qdq: node.opType } };
    }
    const plan = ortQdqPlan(node, ctx);
    const attrs: Record<string, number> = {};
    if (!plan.fused) attrs.ort_float = 1;
    else if (plan.computeType === 'uint8') attrs.ort_offset = 128;
    return { name: node.name, op, inputs: [a, b], outputs: [node.outputs[0]!], attrs };
  };
}
