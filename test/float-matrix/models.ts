/**
 * Random float32 Conv, Gemm and MatMul nodes for the tests: each `add*` adds one node with its own
 * graph input(s) and output to a GraphBuilder, so one model holds many (one ONNX Runtime session
 * or one host build checks them all). Weights are constants or graph inputs at random.
 */
import { hostDiff } from '../helpers/host-diff.ts';
import type { GraphBuilder } from '../helpers/onnx-builder.ts';

export type Rng = () => number;
export const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** Random float32 values in [-2, 2), half of them on a 1/16 grid (products and sums then tie more often). */
export function floats(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.fround(i % 2 ? Math.round(rng() * 64 - 32) / 16 : rng() * 4 - 2));
}

export interface Added {
  summary: string;
}

let serial = 0;

/** A constant or (when `runtime`) a graph input of the given shape. */
function operand(g: GraphBuilder, rng: Rng, shape: number[], runtime: boolean, tag: string): string {
  if (runtime) return g.input(`${tag}_in${serial++}`, 'float32', shape);
  return g.constant('float32', shape, floats(rng, shape.reduce((a, b) => a * b, 1)));
}

function finish(g: GraphBuilder, y: string, tag: string): void {
  g.output(g.rename(y, `${tag}_out`), 'float32', []);
}

/**
 * A Conv over `rank` spatial axes with random group, kernel, strides, dilations, pads or auto_pad,
 * and bias. ONNX Runtime refuses dilations with auto_pad SAME_*: `sameDilations` allows them.
 */
export function addConv(g: GraphBuilder, rng: Rng, tag: string, rank: number, runtimeWeights = false, sameDilations = false): Added {
  const groups = pick(rng, [1, 1, 2, 3]);
  const c = groups * int(rng, 1, 3);
  const m = groups * int(rng, 1, 3);
  const batch = int(rng, 1, 2);
  const input = Array.from({ length: rank }, () => (rank === 3 ? int(rng, 2, 5) : rank === 2 ? int(rng, 3, 8) : int(rng, 3, 12)));
  const autoPad = pick(rng, ['NOTSET', 'NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER']);
  const kernel = input.map(() => int(rng, 1, 3));
  const strides = input.map(() => int(rng, 1, 3));
  const dilations = input.map(() => (autoPad.startsWith('SAME') && !sameDilations ? 1 : int(rng, 1, 2)));
  const pads = autoPad === 'NOTSET' ? [...input, ...input].map(() => int(rng, 0, 2)) : new Array<number>(2 * rank).fill(0);
  for (let d = 0; d < rank; d++) {
    // Windows that do not fit the (padded) input are errors; shrink until it fits.
    while (input[d]! + (autoPad.startsWith('SAME') ? 0 : pads[d]! + pads[d + rank]!) < dilations[d]! * (kernel[d]! - 1) + 1) {
      if (dilations[d]! > 1) dilations[d] = 1;
      else kernel[d] = kernel[d]! - 1;
    }
  }
  const x = g.input(`${tag}_x`, 'float32', [batch, c, ...input]);
  const w = operand(g, rng, [m, c / groups, ...kernel], runtimeWeights, tag);
  const withBias = rng() < 0.6;
  const inputs = withBias ? [x, w, operand(g, rng, [m], runtimeWeights && rng() < 0.5, tag)] : [x, w];
  const attrs: Record<string, number | number[] | string> = {};
  if (rng() < 0.5) attrs.kernel_shape = kernel;
  if (groups !== 1 || rng() < 0.3) attrs.group = groups;
  if (strides.some((s) => s !== 1) || rng() < 0.3) attrs.strides = strides;
  if (dilations.some((s) => s !== 1) || rng() < 0.3) attrs.dilations = dilations;
  if (autoPad === 'NOTSET') {
    if (pads.some((p) => p !== 0) || rng() < 0.3) attrs.pads = pads;
  } else attrs.auto_pad = autoPad;
  finish(g, g.node('Conv', inputs, attrs)[0]!, tag);
  return { summary: `${tag}: Conv x [${batch},${c},${input}] w [${m},${c / groups},${kernel}] ${JSON.stringify(attrs)} bias ${withBias}${runtimeWeights ? ' (runtime weights)' : ''}` };
}

const C_SHAPES = ['none', 'scalar', '[1]', '[N]', '[1,N]', '[M,1]', '[M,N]'] as const;

/** A Gemm with random transA, transB, alpha, beta and C (none or any broadcastable shape). */
export function addGemm(g: GraphBuilder, rng: Rng, tag: string, runtimeB = false): Added {
  const [m, k, n] = [int(rng, 1, 7), int(rng, 1, 9), int(rng, 1, 7)];
  const transA = rng() < 0.5 ? 1 : 0;
  const transB = rng() < 0.5 ? 1 : 0;
  const cKind = pick(rng, C_SHAPES);
  const cShape = { none: [], scalar: [], '[1]': [1], '[N]': [n], '[1,N]': [1, n], '[M,1]': [m, 1], '[M,N]': [m, n] }[cKind];
  const a = g.input(`${tag}_a`, 'float32', transA ? [k, m] : [m, k]);
  const b = operand(g, rng, transB ? [n, k] : [k, n], runtimeB, tag);
  const inputs = cKind === 'none' ? [a, b] : [a, b, operand(g, rng, cShape, runtimeB && rng() < 0.5, tag)];
  const attrs: Record<string, number | { float: number }> = {};
  if (transA || rng() < 0.3) attrs.transA = transA;
  if (transB || rng() < 0.3) attrs.transB = transB;
  if (rng() < 0.6) attrs.alpha = { float: Math.fround(rng() * 3 - 1) };
  if (rng() < 0.6) attrs.beta = { float: Math.fround(rng() * 3 - 1) };
  finish(g, g.node('Gemm', inputs, attrs)[0]!, tag);
  return { summary: `${tag}: Gemm M ${m} K ${k} N ${n} C ${cKind} ${JSON.stringify(attrs)}${runtimeB ? ' (runtime B)' : ''}` };
}

/** A MatMul of random ranks 1-4 with broadcast batch axes. */
export function addMatMul(g: GraphBuilder, rng: Rng, tag: string, runtimeB = false): Added {
  const [m, k, n] = [int(rng, 1, 6), int(rng, 1, 8), int(rng, 1, 6)];
  const aRank = pick(rng, [1, 2, 2, 3, 4]);
  const bRank = pick(rng, [1, 2, 2, 3, 4]);
  const batch = Array.from({ length: Math.max(aRank, bRank, 2) - 2 }, () => int(rng, 1, 3));
  // Each operand's batch axes: the trailing ones of the output's, some of them 1 (broadcast).
  const own = (rank: number) => batch.slice(batch.length - Math.max(0, rank - 2)).map((d) => (rng() < 0.3 ? 1 : d));
  const aShape = aRank === 1 ? [k] : [...own(aRank), m, k];
  const bShape = bRank === 1 ? [k] : [...own(bRank), k, n];
  const a = g.input(`${tag}_a`, 'float32', aShape);
  const b = operand(g, rng, bShape, runtimeB, tag);
  finish(g, g.node('MatMul', [a, b])[0]!, tag);
  return { summary: `${tag}: MatMul A [${aShape}] x B [${bShape}]${runtimeB ? ' (runtime B)' : ''}` };
}

/** Host differential check of a float model: the C (ASan/UBSan) against the reference, bit for bit. */
export function floatHostDiff(modelPath: string, inputs = 4, seed = 1) {
  return hostDiff(modelPath, 'onnx', inputs, seed, { allowFloat: true });
}
