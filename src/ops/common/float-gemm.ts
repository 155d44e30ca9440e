/**
 * The float32 matrix product shared by FloatGemm and FloatMatMul, and its C twin tg_float_gemm_t
 * (firmware/kernels/tg_float_gemm.c). For each batch b, row r and column c, in float32 with one
 * rounding per operation and no fused multiply-add:
 *   acc = 0; for i = 0 .. k-1: acc = acc + A[b][r][i] * B[b][i][c]
 *   y = alpha * acc; then, with C: y = y + beta * C[r][c]
 * A[b][r][i] = a[aOffsets[b] + r * aRowStride + i * aColStride], B likewise, C[r][c] =
 * c[r * cRowStride + c * cColStride] (stride 0 along a broadcast axis). The output is [batch][m][n].
 */
import type { EmitContext } from '../op.ts';
import { cFloat } from '../../codegen/c-literals.ts';

export interface FloatGemmParams {
  batch: number;
  m: number;
  k: number;
  n: number;
  /** Element offset of each batch's A (B) matrix; one entry per batch. */
  aOffsets: number[];
  bOffsets: number[];
  aRowStride: number;
  aColStride: number;
  bRowStride: number;
  bColStride: number;
  alpha: number;
  beta: number;
  cRowStride: number;
  cColStride: number;
}

const f = Math.fround;

/** Every output, [batch][m][n]; c is undefined when the op has no C operand. */
export function floatGemm(p: FloatGemmParams, a: Float32Array, b: Float32Array, c: Float32Array | undefined, y: Float32Array): void {
  let o = 0;
  for (let batch = 0; batch < p.batch; batch++) {
    const aBase = p.aOffsets[batch]!;
    const bBase = p.bOffsets[batch]!;
    for (let row = 0; row < p.m; row++) {
      for (let col = 0; col < p.n; col++) {
        let acc = 0;
        for (let i = 0; i < p.k; i++) {
          acc = f(acc + f(a[aBase + row * p.aRowStride + i * p.aColStride]! * b[bBase + i * p.bRowStride + col * p.bColStride]!));
        }
        let out = f(p.alpha * acc);
        if (c) out = f(out + f(p.beta * c[row * p.cRowStride + col * p.cColStride]!));
        y[o++] = out;
      }
    }
  }
}

/** A tg_float_gemm_t initializer; its offset arrays are declared through ctx (NULL for one batch at offset 0). */
export function floatGemmInitializer(ctx: EmitContext, p: FloatGemmParams): string {
  const offsets = (suffix: string, values: number[]) => (values.every((v) => v === 0) ? 'NULL' : ctx.constArray(suffix, 'int32_t', values));
  return `{ ${[
    p.batch,
    p.m,
    p.k,
    p.n,
    offsets('a_offsets', p.aOffsets),
    offsets('b_offsets', p.bOffsets),
    p.aRowStride,
    p.aColStride,
    p.bRowStride,
    p.bColStride,
    cFloat(p.alpha),
    cFloat(p.beta),
    p.cRowStride,
    p.cColStride,
  ].join(', ')} }`;
}
