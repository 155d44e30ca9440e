/**
 * FloatSoftmax: ONNX's Softmax on a float32 tensor as it stands (imported only when float ops are
 * allowed). Before opset 13 the input is coerced to 2-D at `axis` (default 1) and each row of
 * every axis from `axis` on is one softmax; from opset 13 one axis (default -1).
 *
 * Each row, in this fixed order: m = the first element, raised by every later one that is greater
 * (NaN never wins a comparison); e_j = expf(x_j - m) (src/numerics/float-math.ts), written to the
 * output; sum = 0 + e_0 + e_1 + ... in index order, float32 after each addition; y_j = e_j / sum.
 * A NaN result is stored as the canonical quiet NaN 0x7fc00000.
 *
 * IR: inputs [X], outputs [Y]; attrs.axis (non-negative after shape inference), attrs.opset.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import { elemOf } from '../common/float-values.ts';

export interface FloatSoftmaxParams {
  outer: number;
  length: number;
  inner: number;
}

export function inferFloatSoftmax(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  elemOf(node, x, ['float32']);
  if (x.quant) throw new UserError(`node '${node.name}' (${node.op}): a quantized input belongs to a DequantizeLinear → op → QuantizeLinear pattern, not to the float op`);
  const rank = x.shape.length;
  const axis = node.attrs.axis as number;
  if (rank === 0) throw new UserError(`node '${node.name}' (${node.op}): a scalar input has no axis`);
  if (axis < -rank || axis >= rank) throw new UserError(`node '${node.name}' (${node.op}): axis ${axis} is outside rank ${rank}`);
  node.attrs.axis = axis < 0 ? axis + rank : axis;
  if (x.shape.some((d) => d === 0)) throw new UserError(`node '${node.name}' (${node.op}): empty tensors (shape [${x.shape}]) are not supported`);
  return [{ shape: [...x.shape], dtype: 'float32' }];
}

export function prepareFloatSoftmax(node: Node, graph: Graph): FloatSoftmaxParams {
  const shape = tensorOf(graph, node.inputs[0]!).shape;
  const axis = node.attrs.axis as number;
  const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
  const params: FloatSoftmaxParams =
    (node.attrs.opset as number) < 13
      ? { outer: product(shape.slice(0, axis)), length: product(shape.slice(axis)), inner: 1 }
      : { outer: product(shape.slice(0, axis)), length: shape[axis]!, inner: product(shape.slice(axis + 1)) };
  return params;
}
