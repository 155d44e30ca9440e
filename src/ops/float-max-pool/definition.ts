/**
 * FloatMaxPool: ONNX MaxPool on float32 NCHW tensors over 1, 2 or 3 spatial axes, with pads,
 * strides, dilations, auto_pad and ceil_mode (geometry in src/ops/common/float-window.ts). Per
 * output: the largest tap inside the input, from -infinity, taps depth, row and column ascending,
 * a tap replacing the maximum only when greater (NaN taps never win; padding never counts); a
 * window with no tap inside the input gives -FLT_MAX (ONNX Runtime's value). The Indices output is
 * not supported.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { OutputInfo } from '../op.ts';
import { requireFloat } from '../common/float-operands.ts';
import { resolveFloatWindow, type FloatWindowParams } from '../common/float-window.ts';

export type FloatMaxPoolParams = FloatWindowParams;

export function inferFloatMaxPool(node: Node, graph: Graph): OutputInfo[] {
  requireFloat(node, graph, ['X']);
  return [{ shape: resolveFloatWindow(node, tensorOf(graph, node.inputs[0]!).shape).outShape, dtype: 'float32' }];
}

export function prepareFloatMaxPool(node: Node, graph: Graph): FloatMaxPoolParams {
  const { outShape: _, ...window } = resolveFloatWindow(node, tensorOf(graph, node.inputs[0]!).shape);
  return window;
}
