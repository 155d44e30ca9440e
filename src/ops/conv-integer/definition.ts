/**
 * ConvInteger (ONNX): the int32 accumulators sum (x - x_zero_point)(w - w_zero_point) of a
 * grouped 1-D or 2-D convolution, with no requantization; padding holds the input zero point.
 * The window geometry, NHWC layout and weight reordering are QLinearConv's. In the IR the
 * inputs are [x, w, x_zero_point, w_zero_point] (see common/zero-point-inputs.ts); the weight
 * zero point is one value or one per output channel.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import { resolveWindow, windowGeometry, windowInputHW, windowOutputShape, type WindowGeometry } from '../common/window.ts';
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
  const [h, wd] = windowInputHW(node, x.shape);
  if (w.shape.length !== x.shape.length) throw new UserError(`node '${node.name}' (ConvInteger): weight [${w.shape}] does not match input [${x.shape}]`);
  const group = node.attrs.group as number;
  const [n, c] = x.shape as [number, number];
  const [m, cPerGroup] = w.shape as [number, number];
  if (group < 1 || c % group !== 0 || m % group !== 0 || cPerGroup * group !== c) {
    throw new UserError(`node '${node.name}' (ConvInteger): group ${group} does not fit ${c} input and ${m} output channels (weight [${w.shape}])`);
  }
  const kernel = node.attrs.kernel_shape as number[];
  if (elementCount(kernel) * m * cPerGroup !== elementCount(w.shape)) {
    throw new UserError(`node '${node.name}' (ConvInteger): kernel_shape does not match the weight [${w.shape}]`);
  }
  checkZeroPointInput(node, graph, 2, x.name, 'input');
  checkZeroPointInput(node, graph, 3, w.name, 'weight', m);
  const { outputHW } = resolveWindow(node, [h, wd]);
  return [{ shape: windowOutputShape(node, n, m, outputHW), dtype: 'int32' }];
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
