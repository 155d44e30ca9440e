/**
 * MaxPool on int8 NHWC tensors; the output keeps the input's quantization. A 1-D pool ([N, C, L]
 * input) is the 2-D one over [1, L]; the lift-1d pass gives its tensors the 4-D shape [N, C, 1, L].
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { OutputInfo } from '../op.ts';
import { resolveWindow, windowGeometry, windowInputHW, windowOutputShape, type WindowGeometry } from '../common/window.ts';
import { requireDtype } from '../common/values.ts';

export function inferMaxPool(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['int8', 'uint8'], 'input');
  const { outputHW } = resolveWindow(node, windowInputHW(node, x.shape));
  return [{ shape: windowOutputShape(node, x.shape[0]!, x.shape[1]!, outputHW), dtype: x.dtype, quant: x.quant }];
}

export function prepareMaxPool(node: Node, graph: Graph): MaxPoolParams {
  return windowGeometry(node, tensorOf(graph, node.inputs[0]!).shape, tensorOf(graph, node.outputs[0]!).shape);
}

export type MaxPoolParams = WindowGeometry;
