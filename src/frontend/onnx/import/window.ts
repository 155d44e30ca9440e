/** ONNX windowing attributes (kernel_shape, strides, pads, dilations, auto_pad) of the integer conv and pool ops, 1-D included (src/ops/common/window.ts resolves them). */
import { UserError } from '../../../errors.ts';
import type { AttrValue } from '../../../ir/graph.ts';
import type { OnnxNodeView } from '../import-context.ts';

/**
 * Reads the windowing attributes of an ONNX node into IR attributes. With `allow1d`, a window
 * over one spatial axis (an [N, C, L] input) is accepted too: it becomes the 2-D window over
 * [1, L] (kernel [1, k], pads [0, begin, 0, end], ...) and attrs.window_rank = 1 records it.
 */
export function importWindowAttrs(node: OnnxNodeView, kernelShape: number[], options: { allow1d?: boolean } = {}): Record<string, AttrValue> {
  const autoPad = node.string('auto_pad', 'NOTSET');
  if (!['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'].includes(autoPad)) {
    throw new UserError(`${node.label}: auto_pad '${autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER`);
  }
  if (options.allow1d && kernelShape.length === 1) return importWindow1d(node, kernelShape[0]!, autoPad);
  if (kernelShape.length !== 2) {
    throw new UserError(`${node.label}: only 2-D windows are supported (kernel_shape [${kernelShape}])`);
  }
  const strides = node.ints('strides', [1, 1]);
  const dilations = node.ints('dilations', [1, 1]);
  const pads = node.ints('pads', [0, 0, 0, 0]);
  if (strides.length !== 2 || dilations.length !== 2 || pads.length !== 4) {
    throw new UserError(`${node.label}: strides, dilations and pads must describe 2 spatial dimensions`);
  }
  if ([...strides, ...dilations].some((v) => v < 1) || pads.some((v) => v < 0)) {
    throw new UserError(`${node.label}: strides and dilations must be >= 1 and pads >= 0`);
  }
  return { kernel_shape: kernelShape, strides, dilations, pads, auto_pad: autoPad, ceil_mode: node.int('ceil_mode', 0) };
}

function importWindow1d(node: OnnxNodeView, kernel: number, autoPad: string): Record<string, AttrValue> {
  const strides = node.ints('strides', [1]);
  const dilations = node.ints('dilations', [1]);
  const pads = node.ints('pads', [0, 0]);
  if (strides.length !== 1 || dilations.length !== 1 || pads.length !== 2) {
    throw new UserError(`${node.label}: strides, dilations and pads must describe 1 spatial dimension`);
  }
  if ([...strides, ...dilations].some((v) => v < 1) || pads.some((v) => v < 0) || kernel < 1) {
    throw new UserError(`${node.label}: kernel_shape, strides and dilations must be >= 1 and pads >= 0`);
  }
  return {
    kernel_shape: [1, kernel],
    strides: [1, strides[0]!],
    dilations: [1, dilations[0]!],
    pads: [0, pads[0]!, 0, pads[1]!],
    auto_pad: autoPad,
    ceil_mode: node.int('ceil_mode', 0),
    window_rank: 1,
  };
}
