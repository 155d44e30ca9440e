/** The QDQ form of the src/ops/qlinear-global-average-pool family: GlobalAveragePool (qdq). */
import type { AttrValue, Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { ortUnaryQdqPlan } from './ort-qdq.ts';

/** DequantizeLinear → GlobalAveragePool → QuantizeLinear; attrs.ort_float when ONNX Runtime runs it unfused. */
export function importQdqGlobalAveragePool(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(1);
  const x = node.input(0);
  if (!ctx.graph.tensors.get(x)?.quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
  const attrs: Record<string, AttrValue> = { channels_last: 0 };
  if (!ortUnaryQdqPlan(node, ctx).fused) attrs.ort_float = 1;
  return { name: node.name, op: 'QLinearGlobalAveragePool', inputs: [x], outputs: [node.outputs[0]!], attrs };
}

export const qlinearGlobalAveragePoolQdqImports: OnnxImport[] = [{ domain: '', opType: 'GlobalAveragePool', form: 'qdq', import: importQdqGlobalAveragePool }];
