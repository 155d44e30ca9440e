/**
 * MaxPool on int8 NHWC tensors; the output keeps the input's quantization. (ONNX's NCHW pools,
 * 1-D ones as 2-D over [1, L], are converted at import.)
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { OutputInfo } from '../op.ts';
import { nhwcWindowInputHW, resolveWindow, windowGeometry, type WindowGeometry } from '../common/window.ts';
import { requireDtype } from '../common/values.ts';

export function inferMaxPool(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['int8', 'uint8'], 'input');
  const { outputHW } = resolveWindow(node, nhwcWindowInputHW(node, x.shape));
  return [{ shape: [x.shape[0]!, ...outputHW, x.shape[3]!], dtype: x.dtype, quant: x.quant }];
}

export function prepareMaxPool(node: Node, graph: Graph): MaxPoolParams {
  return windowGeometry(node, tensorOf(graph, node.inputs[0]!).shape, tensorOf(graph, node.outputs[0]!).shape);
}

export type MaxPoolParams = WindowGeometry;
