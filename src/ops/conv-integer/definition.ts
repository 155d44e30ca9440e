/**
 * ConvInteger (ONNX): the int32 accumulators sum (x - x_zero_point)(w - w_zero_point) of a
 * grouped 1-D or 2-D convolution, with no requantization; padding holds the input zero point.
 * x and y are NHWC and the window geometry is QLinearConv's; the weight is
 * [out_c][k_h][k_w][in_c / group] for every group, depthwise too (the order its kernel reads). In
 * the IR the inputs are [x, w, x_zero_point, w_zero_point] (see common/zero-point-inputs.ts); the
 * weight zero point is one value or one per output channel.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { OutputInfo } from '../op.ts';
import { convWeightDims, nhwcWindowInputHW, resolveWindow, windowGeometry, type WindowGeometry } from '../common/window.ts';
import { requireDtype } from '../common/values.ts';
import { checkZeroPointInput, zeroPointValues } from '../common/zero-point-inputs.ts';

export interface ConvIntegerParams {
  geometry: WindowGeometry;
  groups: number;
  inZeroPoint: number;
  weightZeroPoints: number[];
}

export function inferConvInteger(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  const w = tensorOf(graph, node.inputs[1]!);
  requireDtype(node, x, ['int8', 'uint8'], 'input');
  requireDtype(node, w, ['int8', 'uint8'], 'weight');
  const [h, wd] = nhwcWindowInputHW(node, x.shape);
  const { outC } = convWeightDims(node, x.shape, w.shape, false);
  checkZeroPointInput(node, graph, 2, x.name, 'input');
  checkZeroPointInput(node, graph, 3, w.name, 'weight', outC);
  const { outputHW } = resolveWindow(node, [h, wd]);
  return [{ shape: [x.shape[0]!, ...outputHW, outC], dtype: 'int32' }];
}

export function prepareConvInteger(node: Node, graph: Graph): ConvIntegerParams {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  const params: ConvIntegerParams = {
    geometry: windowGeometry(node, x.shape, y.shape),
    groups: node.attrs.group as number,
    inZeroPoint: zeroPointValues(graph, node, 2)[0]!,
    weightZeroPoints: zeroPointValues(graph, node, 3, y.shape[3]!),
  };
  return params;
}
