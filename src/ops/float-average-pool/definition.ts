/**
 * FloatAveragePool: ONNX AveragePool on float32 NCHW tensors over 1, 2 or 3 spatial axes, with
 * pads, strides, dilations, auto_pad, ceil_mode and count_include_pad (geometry in
 * src/ops/common/float-window.ts). Per output: the float32 sum of the window's taps inside the
 * input, depth, row and column ascending, from -0 (the additive identity), then one float32
 * division by the count: the taps inside the input, or with count_include_pad the taps inside the
 * padded extent [-pad_begin, in + pad_end) (so a ceil_mode window's taps past the end padding
 * never count, as ONNX's test data has it). A window with no tap inside the input gives +0
 * (ONNX Runtime's value).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { OutputInfo } from '../op.ts';
import { requireFloat } from '../common/float-operands.ts';
import { resolveFloatWindow, type FloatWindowParams } from '../common/float-window.ts';

export interface FloatAveragePoolParams extends FloatWindowParams {
  countIncludePad: number;
}

export function inferFloatAveragePool(node: Node, graph: Graph): OutputInfo[] {
  requireFloat(node, graph, ['X']);
  return [{ shape: resolveFloatWindow(node, tensorOf(graph, node.inputs[0]!).shape).outShape, dtype: 'float32' }];
}

export function prepareFloatAveragePool(node: Node, graph: Graph): FloatAveragePoolParams {
  const { outShape: _, ...window } = resolveFloatWindow(node, tensorOf(graph, node.inputs[0]!).shape);
  return { ...window, countIncludePad: node.attrs.count_include_pad as number };
}
