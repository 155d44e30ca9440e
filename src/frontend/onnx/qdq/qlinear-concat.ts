/** The QDQ form of the src/ops/qlinear-concat family: Concat (qdq). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { sameRepresentation } from '../../../ops/common/requant-table.ts';

export function importQdqConcat(node: OnnxNodeView, ctx: ImportContext): Node {
  if (!node.has('axis')) throw new UserError(`${node.label}: the axis attribute is required`);
  for (const input of node.inputs) {
    if (input === '') continue;
    if (!ctx.graph.tensors.get(input)?.quant) throw new UserError(`${node.label}: input '${input}' must come through a DequantizeLinear`);
  }
  const inputs = node.inputs.filter((i) => i !== '');
  const output = node.outputs[0]!;
  // int16: data movement only (no int16 requantization), exact in any rounding, as ONNX Runtime's float Concat between DQ and Q.
  if ([...inputs, output].some((name) => ctx.graph.tensors.get(name)?.dtype === 'int16')) {
    const other = inputs.find((i) => !sameRepresentation(ctx.graph, i, output));
    if (other !== undefined) throw new UserError(`${node.label}: an int16 QDQ Concat needs every input with the output's type, scale and zero point ('${other}' differs); int16 requantization is not supported`);
    return { name: node.name, op: 'QLinearConcat', inputs, outputs: [output], attrs: { axis: node.int('axis', 0), requantize: 0 } };
  }
  return { name: node.name, op: 'QLinearConcat', inputs, outputs: [output], attrs: { axis: node.int('axis', 0), requantize: 1 } };
}

export const qlinearConcatQdqImports: OnnxImport[] = [{ domain: '', opType: 'Concat', form: 'qdq', import: importQdqConcat }];
