/**
 * DequantizeLinear → MaxPool → QuantizeLinear with one quantization on both sides is the int8
 * MaxPool itself (the maximum commutes with the monotonic (de)quantization), which is also what
 * ONNX Runtime's QDQ propagation runs.
 */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxImport, OnnxNodeView } from '../import-context.ts';
import { sameRepresentation } from '../../../ops/common/requant-table.ts';
import { importMaxPool } from '../import/max-pool.ts';

export function importQdqMaxPool(node: OnnxNodeView, ctx: ImportContext): Node {
  const input = node.input(0);
  const output = node.outputs[0]!;
  if (!ctx.graph.tensors.get(input)?.quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
  if (!sameRepresentation(ctx.graph, input, output)) {
    throw new UserError(`${node.label}: the DequantizeLinear before and the QuantizeLinear after a MaxPool must have the same type, scale and zero point`);
  }
  const declared = ctx.graph.tensors.get(output)!;
  const imported = importMaxPool(node, ctx);
  ctx.graph.tensors.set(output, declared);
  // int16: the same exact maximum, which ONNX Runtime's float MaxPool between DQ and Q also gives.
  if (declared.dtype === 'int16') imported.attrs.int16_exact = 1;
  return imported;
}

export const maxPoolQdqImports: OnnxImport[] = [{ domain: '', opType: 'MaxPool', form: 'qdq', import: importQdqMaxPool }];
