/** The QDQ form of the src/ops/qlinear-average-pool family: AveragePool (qdq). */
import type { AttrValue, Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { uint8OutputAttr } from '../../../ops/common/mean.ts';
import { ortUnaryQdqPlan } from './ort-qdq.ts';
import { importPoolWindow } from '../import/qlinear-average-pool.ts';

/**
 * DequantizeLinear → AveragePool → QuantizeLinear (see OnnxImport 'qdq' in src/ops/op.ts). Records
 * what ONNX Runtime runs for the pattern: its QLinearAveragePool in the type it computes in, or its
 * float AveragePool (attrs.ort_float, with attrs.ort_opset19 when the model's AveragePool is the
 * opset-19 one, which ORT runs with its generic kernel).
 */
export function importQdqAveragePool(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(1);
  const x = node.input(0);
  if (!ctx.graph.tensors.get(x)?.quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
  const plan = ortUnaryQdqPlan(node, ctx);
  const attrs: Record<string, AttrValue> = {
    ...importPoolWindow(node, false),
    uint8_output: plan.fused && plan.computeType === 'uint8' ? 1 : uint8OutputAttr(ctx.graph, node.outputs[0]!),
  };
  if (!plan.fused) {
    attrs.ort_float = 1;
    attrs.ort_opset19 = (ctx.opset('') ?? 1) >= 19 ? 1 : 0;
  }
  return { name: node.name, op: 'QLinearAveragePool', inputs: [x], outputs: [node.outputs[0]!], attrs };
}

export const qlinearAveragePoolQdqImports: OnnxImport[] = [{ domain: '', opType: 'AveragePool', form: 'qdq', import: importQdqAveragePool }];
