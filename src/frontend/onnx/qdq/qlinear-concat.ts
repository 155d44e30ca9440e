/** The QDQ form of the src/ops/qlinear-concat family: Concat (qdq). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

export function importQdqConcat(node: OnnxNodeView, ctx: ImportContext): Node {
  if (!node.has('axis')) throw new UserError(`${node.label}: the axis attribute is required`);
  for (const input of node.inputs) {
    if (input === '') continue;
    if (!ctx.graph.tensors.get(input)?.quant) throw new UserError(`${node.label}: input '${input}' must come through a DequantizeLinear`);
  }
  return { name: node.name, op: 'QLinearConcat', inputs: node.inputs.filter((i) => i !== ''), outputs: [node.outputs[0]!], attrs: { axis: node.int('axis', 0), requantize: 1 } };
}

export const qlinearConcatQdqImports: OnnxImport[] = [{ domain: '', opType: 'Concat', form: 'qdq', import: importQdqConcat }];
