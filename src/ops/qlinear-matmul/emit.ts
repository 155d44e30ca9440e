import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { constantData } from '../common/values.ts';
import { requantInitializer, zeroPointsOrNull } from '../common/emit.ts';
import type { MatMulParams } from './definition.ts';
import { emitPointwise, matrixLayer } from '../common/pointwise.ts';

/** B is stored transposed, [batch][n][k], so each output is one contiguous dot product. */
function transposedB(b: Int8Array, p: MatMulParams): Int8Array {
  const out = new Int8Array(b.length);
  for (let batch = 0; batch < p.bBatches; batch++) {
    const base = batch * p.k * p.n;
    for (let i = 0; i < p.k; i++) for (let col = 0; col < p.n; col++) out[base + col * p.k + i] = b[base + i * p.n + col]!;
  }
  return out;
}

export function emitQLinearMatMul(node: PreparedNode<MatMulParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const transposed = transposedB(constantData(graph, node.inputs[1]!) as Int8Array, p);
  if (p.bBatches === 1 && p.bZeroPoints.every((z) => z === 0)) {
    // One B for every row of every batch: a fully connected layer, the int8 matrix-product kernel.
    const layer = { ...matrixLayer(p.batch * p.m, p.k, p.n), weights: transposed, inZeroPoint: p.aZeroPoint, requant: p.requant };
    return emitPointwise(ctx, layer, ctx.pointer(node.inputs[0]!), ctx.pointer(node.outputs[0]!));
  }
  const b = ctx.constArray('weights', 'int8_t', transposed);
  const zb = zeroPointsOrNull(ctx, 'weight_zero_points', p.bZeroPoints);
  const stride = p.bBatches === 1 ? 0 : p.k * p.n;
  const params = ctx.constStruct(
    'matmul',
    'tg_matmul_t',
    `{ ${p.batch}, ${p.m}, ${p.k}, ${p.n}, ${stride}, ${p.aZeroPoint}, ${b}, ${zb}, NULL, ${requantInitializer(ctx, p.requant)} }`,
  );
  return `tg_matmul_s8(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
