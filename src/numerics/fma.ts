/**
 * float32 fused multiply-add, correctly rounded (one rounding of a * b + c), as an FMA instruction
 * computes it. firmware/kernels/tg_qlinear_binary.c holds its C twin (tg_fmaf).
 *
 * The product of two float32 values is exact in a double (24 + 24 bits). The double sum s = p + c
 * may be inexact; its error e is recovered exactly (two-sum). Rounding s to float32 gives the
 * right answer unless s falls exactly halfway between two float32 values while e is not zero:
 * then e decides the direction instead of the tie rule.
 */

const f32 = Math.fround;

export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const bv = s - p;
  const e = p - (s - bv) + (c - bv);
  const r = f32(s);
  if (e === 0 || !Number.isFinite(s)) return r;
  const d = s - r;
  if (d === 0) return r; // s is a float32 and |e| is below half its double ulp
  const other = r + 2 * d; // the float32 on s's other side, if s is a midpoint
  if (f32(other) !== other) return r;
  return e > 0 === d > 0 ? other : r;
}
