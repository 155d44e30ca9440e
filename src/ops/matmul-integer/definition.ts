/**
 * MatMulInteger (ONNX): Y = (A - a_zero_point)(B - b_zero_point) as int32, with no
 * requantization. A is [..., M, K] (int8 or uint8); B is a constant [K, N] shared by every
 * batch, or [..., K, N] with A's batch dimensions (or any batch dimensions when A is 2-D); the
 * A zero point is one value, the B zero point one value or one per column. In the IR the inputs
 * are [A, B, a_zero_point, b_zero_point] (see common/zero-point-inputs.ts).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import { requireDtype } from '../common/values.ts';
import { transposedB, type GemmParams } from '../common/gemm.ts';
import { checkZeroPointInput, zeroPointValues } from '../common/zero-point-inputs.ts';

function dims(node: Node, graph: Graph) {
  const a = tensorOf(graph, node.inputs[0]!);
  const b = tensorOf(graph, node.inputs[1]!);
  const fail = (why: string): never => {
    throw new UserError(`node '${node.name}' (MatMulInteger): A [${a.shape}] x B [${b.shape}]: ${why}`);
  };
  if (a.shape.length < 2) fail('A must have rank 2 or more');
  const k = a.shape.at(-1)!;
  if (b.shape.length < 2 || b.shape.at(-2) !== k) fail(`B must be [..., ${k}, N]`);
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const sameBatch = aBatch.length === bBatch.length && aBatch.every((d, i) => d === bBatch[i]);
  if (bBatch.length > 0 && aBatch.length > 0 && !sameBatch) fail('B must be 2-D, have the batch dimensions of A, or A must be 2-D');
  return { a, b, m: a.shape.at(-2)!, k, n: b.shape.at(-1)!, batch: aBatch.length > 0 ? aBatch : bBatch };
}

export function inferMatMulInteger(node: Node, graph: Graph): OutputInfo[] {
  const { a, b, m, n, batch } = dims(node, graph);
  requireDtype(node, a, ['int8', 'uint8'], 'A');
  requireDtype(node, b, ['int8', 'uint8'], 'B');
  if (checkZeroPointInput(node, graph, 2, a.name, 'A', m) !== 1) {
    throw new UserError(`node '${node.name}' (MatMulInteger): a zero point per row of A is not supported; give one value`);
  }
  checkZeroPointInput(node, graph, 3, b.name, 'B', n);
  return [{ shape: [...batch, m, n], dtype: 'int32' }];
}

export function prepareMatMulInteger(node: Node, graph: Graph): GemmParams {
  const { a, b, m, k, n } = dims(node, graph);
  const aBatches = elementCount(a.shape.slice(0, -2));
  const bBatches = elementCount(b.shape.slice(0, -2));
  const params: GemmParams = {
    batch: Math.max(aBatches, bBatches),
    m,
    k,
    n,
    aBatchStride: a.shape.length > 2 ? m * k : 0,
    aRowStride: k,
    aColStride: 1,
    aZeroPoint: zeroPointValues(graph, node, 2)[0]!,
    b: transposedB(b.data as Int8Array, bBatches, k, n),
    bBatchStride: b.shape.length > 2 ? k * n : 0,
    bZeroPoints: zeroPointValues(graph, node, 3, n),
    biasRowStride: 0,
    biasColStride: 0,
  };
  return params;
}
