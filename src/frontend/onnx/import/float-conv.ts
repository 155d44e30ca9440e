/** ONNX importers of the src/ops/float-conv family: Conv (float). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

const AUTO_PADS = ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'];

export function importFloatConv(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(2);
  const autoPad = node.string('auto_pad', 'NOTSET');
  if (!AUTO_PADS.includes(autoPad)) throw new UserError(`${node.label}: auto_pad '${autoPad}' is not one of ${AUTO_PADS.join(', ')}`);
  const bias = node.input(2);
  ctx.declareOutput(node.outputs[0]!, 'float32');
  const attrs: Node['attrs'] = { auto_pad: autoPad, group: node.int('group', 1) };
  for (const name of ['kernel_shape', 'strides', 'dilations', 'pads']) if (node.has(name)) attrs[name] = node.ints(name, []);
  return {
    name: node.name,
    op: 'FloatConv',
    inputs: bias === '' ? [node.inputs[0]!, node.inputs[1]!] : [node.inputs[0]!, node.inputs[1]!, bias],
    outputs: [node.outputs[0]!],
    attrs,
  };
}

export const floatConvImports: OnnxImport[] = [{ domain: '', opType: 'Conv', form: 'float', import: importFloatConv }];
