/** QuantizeLinear: float32 → int8/uint8 (or int16, from TFLite's QUANTIZE), per tensor or per axis, as ONNX Runtime does it. */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import { affineParams, type AffineParams } from '../common/affine.ts';
import { quantOf, requireDtype } from '../common/values.ts';

/** Checks a per-axis quantization against the tensor it describes. */
export function checkAffineAxis(node: Node, shape: readonly number[], scales: number, axis: number | undefined): void {
  if (scales === 1) return;
  const a = axis === undefined ? 1 : axis < 0 ? axis + shape.length : axis;
  if (a < 0 || a >= shape.length || shape[a] !== scales) {
    throw new UserError(`node '${node.name}' (${node.op}): ${scales} scales do not match axis ${axis} of shape [${shape}]`);
  }
}

export function inferQuantizeLinear(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['float32'], 'input');
  const q = quantOf(graph, node, node.outputs[0]!, 'output');
  checkAffineAxis(node, x.shape, q.scale.length, q.axis);
  return [{ shape: [...x.shape] }];
}

export function prepareAffine(node: Node, graph: Graph, quantTensor: string): AffineParams {
  return affineParams(tensorOf(graph, node.inputs[0]!).shape, quantOf(graph, node, quantTensor, 'quantized side'));
}
