/**
 * FloatMatMul: ONNX MatMul on float32 with numpy's semantics: a 1-D A is a row [1, K] and a 1-D B
 * a column [K, 1], the added axis dropped from the output; the batch axes (all but the last two)
 * broadcast against each other. In the IR the inputs are [A, B]; either may be a constant or a
 * runtime tensor. Evaluation order: see src/ops/common/float-gemm.ts (alpha 1, no C).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import type { FloatGemmParams } from '../common/float-gemm.ts';
import { broadcastShape } from '../common/broadcast.ts';
import { requireFloat } from '../common/float-operands.ts';

function dims(node: Node, graph: Graph) {
  const a = tensorOf(graph, node.inputs[0]!).shape;
  const b = tensorOf(graph, node.inputs[1]!).shape;
  const fail = (why: string): never => {
    throw new UserError(`node '${node.name}' (FloatMatMul): A [${a}] x B [${b}]: ${why}`);
  };
  if (a.length === 0 || b.length === 0) fail('A and B must have rank 1 or more');
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const [m, k] = a2.slice(-2) as [number, number];
  const [kb, n] = b2.slice(-2) as [number, number];
  if (k !== kb) fail(`inner dimensions differ (${k} and ${kb})`);
  const aBatch = a2.slice(0, -2);
  const bBatch = b2.slice(0, -2);
  const batch = broadcastShape(aBatch, bBatch) ?? fail(`batch dimensions [${aBatch}] and [${bBatch}] do not broadcast`);
  const shape = [...batch, ...(a.length > 1 ? [m] : []), ...(b.length > 1 ? [n] : [])];
  return { m, k, n, aBatch, bBatch, batch, shape };
}

export function inferFloatMatMul(node: Node, graph: Graph): OutputInfo[] {
  requireFloat(node, graph, ['A', 'B']);
  return [{ shape: dims(node, graph).shape, dtype: 'float32' }];
}

/** The element offset of each output batch's matrix in an operand with batch axes `own`, broadcast to `batch`. */
function batchOffsets(own: readonly number[], batch: readonly number[], matrix: number): number[] {
  const rank = batch.length;
  const padded = [...new Array<number>(rank - own.length).fill(1), ...own];
  const strides = new Array<number>(rank).fill(0);
  let step = matrix;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = padded[d] === 1 ? 0 : step;
    step *= padded[d]!;
  }
  const offsets: number[] = [];
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < elementCount(batch); i++) {
    offsets.push(index.reduce((sum, v, d) => sum + v * strides[d]!, 0));
    for (let d = rank - 1; d >= 0 && ++index[d]! === batch[d]!; d--) index[d] = 0;
  }
  return offsets;
}

export function prepareFloatMatMul(node: Node, graph: Graph): FloatGemmParams {
  const { m, k, n, aBatch, bBatch, batch } = dims(node, graph);
  const params: FloatGemmParams = {
    batch: elementCount(batch),
    m,
    k,
    n,
    aOffsets: batchOffsets(aBatch, batch, m * k),
    bOffsets: batchOffsets(bBatch, batch, k * n),
    aRowStride: k,
    aColStride: 1,
    bRowStride: n,
    bColStride: 1,
    alpha: 1,
    beta: 0,
    cRowStride: 0,
    cColStride: 0,
  };
  return params;
}
