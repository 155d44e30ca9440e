/**
 * The integer matrix product shared by QGemm and MatMulInteger, and its C twin tg_gemm_t
 * (firmware/kernels/tg_gemm.c): for each batch b, row r and column c,
 *   acc = bias[r * biasRowStride + c * biasColStride] + sum_i (A[b][r][i] - za) * (B[b][i][c] - zb[c])
 * in int32, wrapping. A is read through strides (a transposed or broadcast A costs nothing);
 * B is a constant, stored transposed as [batch][n][k] so each accumulator is one contiguous dot
 * product.
 */
import type { EmitContext } from '../op.ts';

export interface GemmParams {
  batch: number;
  m: number;
  k: number;
  n: number;
  aBatchStride: number;
  aRowStride: number;
  aColStride: number;
  aZeroPoint: number;
  /** B as [bBatches][n][k]. */
  b: Int8Array;
  /** Elements between B matrices; 0 when every batch shares one. */
  bBatchStride: number;
  /** Per column. */
  bZeroPoints: number[];
  bias?: Int32Array;
  biasRowStride: number;
  biasColStride: number;
}

/** [batches][k][n] (or [batches][n][k] when `kn` is false) → [batches][n][k]. */
export function transposedB(b: ArrayLike<number>, batches: number, k: number, n: number, kn = true): Int8Array {
  const out = new Int8Array(batches * k * n);
  if (!kn) {
    out.set(Int8Array.from(b));
    return out;
  }
  for (let batch = 0; batch < batches; batch++) {
    const base = batch * k * n;
    for (let i = 0; i < k; i++) for (let col = 0; col < n; col++) out[base + col * k + i] = b[base + i * n + col]!;
  }
  return out;
}

/** Every accumulator, [batch][m][n]. */
export function gemmAccumulators(p: GemmParams, a: Int8Array): Int32Array {
  const out = new Int32Array(p.batch * p.m * p.n);
  let o = 0;
  for (let batch = 0; batch < p.batch; batch++) {
    const bBase = batch * p.bBatchStride;
    for (let row = 0; row < p.m; row++) {
      const aBase = batch * p.aBatchStride + row * p.aRowStride;
      for (let col = 0; col < p.n; col++) {
        const zb = p.bZeroPoints[col]!;
        const column = bBase + col * p.k;
        let acc = p.bias ? p.bias[row * p.biasRowStride + col * p.biasColStride]! : 0;
        for (let i = 0; i < p.k; i++) acc += (a[aBase + i * p.aColStride]! - p.aZeroPoint) * (p.b[column + i]! - zb);
        // Each term is below 2^17 and the bias below 2^31, so the double sum is exact; C wraps alike.
        out[o++] = acc | 0;
      }
    }
  }
  return out;
}

/** A tg_gemm_t initializer; its constant arrays are declared through ctx. */
export function gemmInitializer(ctx: EmitContext, p: GemmParams): string {
  const b = ctx.constArray('weights', 'int8_t', p.b);
  const zb = p.bZeroPoints.every((z) => z === 0) ? 'NULL' : ctx.constArray('weight_zero_points', 'int32_t', p.bZeroPoints);
  const bias = p.bias ? ctx.constArray('bias', 'int32_t', p.bias) : 'NULL';
  return `{ ${[p.batch, p.m, p.k, p.n, p.aBatchStride, p.aRowStride, p.aColStride, p.aZeroPoint, b, p.bBatchStride, zb, bias, p.biasRowStride, p.biasColStride].join(', ')} }`;
}
