/**
 * FloatGlobalAveragePool: ONNX GlobalAveragePool on a float32 [N, C, spatial...] tensor (at least
 * one spatial axis). Per plane: the float32 sum of its elements in storage order, from -0 (the
 * additive identity), then one float32 division by their count. The output is [N, C, 1, ...].
 * FloatGlobalMaxPool (src/ops/float-global-max-pool) shares this geometry.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import { requireFloat } from '../common/float-operands.ts';

export interface FloatGlobalPoolParams {
  /** N * C */
  planes: number;
  /** Elements per plane. */
  planeSize: number;
}

function inputShape(node: Node, graph: Graph): number[] {
  requireFloat(node, graph, ['X']);
  const shape = tensorOf(graph, node.inputs[0]!).shape;
  if (shape.length < 3) throw new UserError(`node '${node.name}' (${node.op}): input [${shape}] must be [N, C, spatial...] with at least one spatial axis`);
  return shape;
}

export function inferFloatGlobalPool(node: Node, graph: Graph): OutputInfo[] {
  const shape = inputShape(node, graph);
  return [{ shape: [shape[0]!, shape[1]!, ...shape.slice(2).map(() => 1)], dtype: 'float32' }];
}

export function prepareFloatGlobalPool(node: Node, graph: Graph): FloatGlobalPoolParams {
  const shape = inputShape(node, graph);
  return { planes: shape[0]! * shape[1]!, planeSize: elementCount(shape.slice(2)) };
}

