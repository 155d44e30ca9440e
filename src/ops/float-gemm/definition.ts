/**
 * FloatGemm: ONNX Gemm on float32, Y = alpha * A' * B' + beta * C, with A' = transA ? A^T : A
 * ([M, K]) and B' = transB ? B^T : B ([K, N]). C is optional (opset 11 on) and broadcasts
 * unidirectionally to [M, N]: a scalar, [N], [1, N], [M, 1] or [M, N]. In the IR the inputs are
 * [A, B, C?]; any of them may be a constant or a runtime tensor. Evaluation order: see
 * src/ops/common/float-gemm.ts.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import type { FloatGemmParams } from '../common/float-gemm.ts';
import { finiteAttr, requireFloat } from '../common/float-operands.ts';

function dims(node: Node, graph: Graph) {
  const a = tensorOf(graph, node.inputs[0]!);
  const b = tensorOf(graph, node.inputs[1]!);
  const fail = (why: string): never => {
    throw new UserError(`node '${node.name}' (FloatGemm): A [${a.shape}] x B [${b.shape}]: ${why}`);
  };
  if (a.shape.length !== 2 || b.shape.length !== 2) fail('A and B must be 2-D');
  const transA = node.attrs.trans_a !== 0;
  const transB = node.attrs.trans_b !== 0;
  const [m, k] = (transA ? [a.shape[1], a.shape[0]] : a.shape) as [number, number];
  const [kb, n] = (transB ? [b.shape[1], b.shape[0]] : b.shape) as [number, number];
  if (k !== kb) fail(`inner dimensions differ (${k} and ${kb}, transA ${+transA}, transB ${+transB})`);
  return { m, k, n, transA, transB };
}

/** C's strides over [M, N] under unidirectional broadcasting, or undefined when it does not broadcast. */
function cStrides(shape: readonly number[], m: number, n: number): [number, number] | undefined {
  if (shape.length > 2) return undefined;
  const [cm, cn] = [...new Array<number>(2 - shape.length).fill(1), ...shape] as [number, number];
  if ((cm !== 1 && cm !== m) || (cn !== 1 && cn !== n)) return undefined;
  return [cm === 1 ? 0 : cn, cn === 1 ? 0 : 1];
}

export function inferFloatGemm(node: Node, graph: Graph): OutputInfo[] {
  requireFloat(node, graph, ['A', 'B', 'C']);
  const { m, n } = dims(node, graph);
  const c = node.inputs[2];
  if (c) {
    const shape = tensorOf(graph, c).shape;
    if (!cStrides(shape, m, n)) throw new UserError(`node '${node.name}' (FloatGemm): C [${shape}] does not broadcast to [${m}, ${n}]`);
  }
  finiteAttr(node, 'alpha', node.attrs.alpha as number);
  finiteAttr(node, 'beta', node.attrs.beta as number);
  return [{ shape: [m, n], dtype: 'float32' }];
}

export function prepareFloatGemm(node: Node, graph: Graph): FloatGemmParams {
  const { m, k, n, transA, transB } = dims(node, graph);
  const c = node.inputs[2];
  const [cRowStride, cColStride] = c ? cStrides(tensorOf(graph, c).shape, m, n)! : [0, 0];
  const params: FloatGemmParams = {
    batch: 1,
    m,
    k,
    n,
    aOffsets: [0],
    bOffsets: [0],
    // A is stored [M][K], or [K][M] when transposed; B [K][N], or [N][K].
    aRowStride: transA ? 1 : k,
    aColStride: transA ? m : 1,
    bRowStride: transB ? 1 : n,
    bColStride: transB ? k : 1,
    alpha: node.attrs.alpha as number,
    beta: node.attrs.beta as number,
    cRowStride,
    cColStride,
  };
  return params;
}
