/** DequantizeLinear → MatMul → QuantizeLinear becomes QLinearMatMul (see OnnxImport 'qdq' in src/frontend/onnx/import-context.ts). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

export function importQdqMatMul(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(2);
  const [a, b] = node.inputs as [string, string];
  if (!ctx.graph.tensors.get(a)?.quant) throw new UserError(`${node.label}: A must come through a DequantizeLinear`);
  if (!ctx.constant(node, b, 'B (weights)').quant) throw new UserError(`${node.label}: B must come through a DequantizeLinear`);
  return { name: node.name, op: 'QLinearMatMul', inputs: [a, b], outputs: [node.outputs[0]!], attrs: {} };
}

export const qlinearMatmulQdqImports: OnnxImport[] = [{ domain: '', opType: 'MatMul', form: 'qdq', import: importQdqMatMul }];
