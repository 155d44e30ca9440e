/**
 * Multidirectional (numpy) broadcasting for binary elementwise ops: the output shape, a
 * compile-time iteration plan with merged axes and per-input strides (the C kernels walk it),
 * ONNX Runtime's choice of inner loop (which decides its float evaluation order), and the NHWC
 * form of a broadcast constant.
 */
import { elementCount } from '../../ir/graph.ts';

export const MAX_BROADCAST_RANK = 6;

/** numpy's rule: align right; each pair of axes is equal or one of them is 1. undefined if incompatible. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * The iteration of the output in row-major order: axes of size 1 dropped and neighbouring axes
 * merged wherever both inputs walk them contiguously (or both repeat), so equal shapes become one
 * axis of stride 1 for both, and a per-channel operand becomes [rows, channels] with strides 0, 1.
 */
export interface BroadcastPlan {
  /** Output axes, outermost first; at least one, at most MAX_BROADCAST_RANK. */
  shape: number[];
  /** Elements of A (B) to step per unit of each axis; 0 where the input repeats. */
  aStrides: number[];
  bStrides: number[];
  count: number;
}

function stridesIn(shape: readonly number[], rank: number): number[] {
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const strides = new Array<number>(rank).fill(0);
  let step = 1;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = padded[d] === 1 ? 0 : step;
    step *= padded[d]!;
  }
  return strides;
}

export function broadcastPlan(a: readonly number[], b: readonly number[], out: readonly number[]): BroadcastPlan {
  const rank = out.length;
  const sa = stridesIn(a, rank);
  const sb = stridesIn(b, rank);
  const axes = out.map((size, d) => ({ size, a: sa[d]!, b: sb[d]! })).filter((axis) => axis.size !== 1);
  const merged: { size: number; a: number; b: number }[] = [];
  for (const axis of axes) {
    const inner = merged.at(-1);
    // The previous (outer) axis merges into this one when stepping it equals one full sweep of this one.
    if (inner && inner.a === axis.a * axis.size && inner.b === axis.b * axis.size) {
      merged[merged.length - 1] = { size: inner.size * axis.size, a: axis.a, b: axis.b };
    } else merged.push({ ...axis });
  }
  if (merged.length === 0) merged.push({ size: 1, a: 0, b: 0 });
  return { shape: merged.map((m) => m.size), aStrides: merged.map((m) => m.a), bStrides: merged.map((m) => m.b), count: elementCount(out) };
}

/** Calls fn(outputIndex, aIndex, bIndex) for every output element, in row-major order. */
export function forEachBroadcast(plan: BroadcastPlan, fn: (o: number, ia: number, ib: number) => void): void {
  const rank = plan.shape.length;
  const index = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < plan.count; o++) {
    fn(o, ia, ib);
    for (let d = rank - 1; d >= 0; d--) {
      ia += plan.aStrides[d]!;
      ib += plan.bStrides[d]!;
      if (++index[d]! < plan.shape[d]!) break;
      ia -= plan.aStrides[d]! * plan.shape[d]!;
      ib -= plan.bStrides[d]! * plan.shape[d]!;
      index[d] = 0;
    }
  }
}

/**
 * Whether ONNX Runtime's CPU broadcaster treats input 0 as the repeated scalar of its innermost
 * span (it then calls its kernel with the operands swapped). It looks at the innermost axis pair,
 * skipping pairs where both are 1 unless no other pair of the common rank is left; a scalar
 * (rank 0) input 0 always counts, and against a scalar input 1, input 0's last axis decides.
 */
export function ortInput0IsSpanScalar(a: readonly number[], b: readonly number[]): boolean {
  if (a.length === 0) return true;
  if (b.length === 0) return a.at(-1)! <= 1;
  const common = Math.min(a.length, b.length);
  for (let i = 1; i <= common; i++) {
    const da = a[a.length - i]!;
    const db = b[b.length - i]!;
    if (Math.max(da, db) <= 1 && i < common) continue;
    return da <= 1;
  }
  return false;
}

/** A tg_broadcast_t initializer. */
export function broadcastInitializer(plan: BroadcastPlan): string {
  const pad = (values: number[]) => `{ ${[...values, 0, 0, 0, 0, 0, 0].slice(0, MAX_BROADCAST_RANK).join(', ')} }`;
  return `{ ${plan.shape.length}, ${pad(plan.shape)}, ${pad(plan.aStrides)}, ${pad(plan.bStrides)} }`;
}

/**
 * A constant operand of rank <= 4 that broadcasts against a 4-D NCHW activation, as it must be to
 * broadcast against the NHWC twin: padded to rank 4 with leading 1s, then permuted to [N, H, W, C].
 */
export function constantToNhwc(shape: readonly number[], data: Int8Array | Uint8Array): { shape: number[]; data: Int8Array | Uint8Array } {
  const [n, c, h, w] = [...new Array<number>(4 - shape.length).fill(1), ...shape] as [number, number, number, number];
  const out = data instanceof Int8Array ? new Int8Array(data.length) : new Uint8Array(data.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[((b * h + y) * w + x) * c + ch] = data[((b * c + ch) * h + y) * w + x]!;
  return { shape: [n, h, w, c], data: out };
}
