/** The QDQ form of the views (Identity, Flatten, Reshape, Squeeze, Unsqueeze, Transpose): DequantizeLinear → view → QuantizeLinear. */
import { UserError } from '../../../errors.ts';
import type { OnnxImport } from '../import-context.ts';

/**
 * Wraps a view's plain importer for the 'qdq' form: the QDQ fusion has already declared the
 * output with the QuantizeLinear's type and quantization, which the plain importer must not
 * overwrite. The node is marked attrs.qdq = 1 so its shape inference keeps them.
 */
export function qdqForm(plain: OnnxImport['import']): OnnxImport['import'] {
  return (node, ctx) => {
    const input = node.input(0);
    if (!ctx.graph.tensors.get(input)?.quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
    const output = node.outputs[0]!;
    const declared = ctx.graph.tensors.get(output);
    const imported = plain(node, ctx);
    if (declared) ctx.graph.tensors.set(output, declared);
    imported.attrs.qdq = 1;
    return imported;
  };
}
