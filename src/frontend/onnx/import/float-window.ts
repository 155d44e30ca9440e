/** The ONNX windowing attributes of the float pools (resolved in src/ops/common/float-window.ts). */
import { UserError } from '../../../errors.ts';
import type { AttrValue } from '../../../ir/graph.ts';
import type { OnnxNodeView } from '../import-context.ts';

const AUTO_PADS = ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'];

/** The ONNX windowing attributes as IR attributes (validated against the input in resolveFloatWindow). */
export function importFloatWindowAttrs(node: OnnxNodeView): Record<string, AttrValue> {
  if (!node.has('kernel_shape')) throw new UserError(`${node.label}: kernel_shape is required`);
  const autoPad = node.string('auto_pad', 'NOTSET');
  if (!AUTO_PADS.includes(autoPad)) throw new UserError(`${node.label}: auto_pad '${autoPad}' is not one of ${AUTO_PADS.join(', ')}`);
  const attrs: Record<string, AttrValue> = { kernel_shape: node.ints('kernel_shape', []), auto_pad: autoPad, ceil_mode: node.int('ceil_mode', 0) ? 1 : 0 };
  for (const name of ['strides', 'dilations', 'pads']) if (node.has(name)) attrs[name] = node.ints(name, []);
  return attrs;
}
