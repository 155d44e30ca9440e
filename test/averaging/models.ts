/** Random models for the averaging ops (QLinearAveragePool, QLinearGlobalAveragePool, QLinearReduceMean). */
import onnxProto from 'onnx-proto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../helpers/onnx-builder.ts';

export type Rng = () => number;
export type Q8 = 'int8' | 'uint8';
export const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** A float32 scale; now and then a short binary fraction, which makes exact ties likely. */
export const scale = (rng: Rng) => (rng() < 0.3 ? 2 ** -int(rng, 1, 6) * int(rng, 1, 3) : Math.fround(2 ** -int(rng, 2, 8) * (1 + rng())));
const zeroPoint = (rng: Rng, dtype: Q8) => (dtype === 'uint8' ? int(rng, 0, 255) : int(rng, -128, 127));

export interface Quant {
  xs: number;
  xz: number;
  ys: number;
  yz: number;
}

export function randomQuant(rng: Rng, dtype: Q8): Quant {
  const xs = scale(rng);
  const xz = zeroPoint(rng, dtype);
  const same = rng() < 0.3;
  return { xs, xz, ys: same ? xs : scale(rng), yz: same ? xz : zeroPoint(rng, dtype) };
}

/**
 * Equal input and output scales with a full float mantissa: the mean of the integers often sits
 * exactly on a .5, where the float32 summation order decides the rounding, so an order that is
 * not ONNX Runtime's shows. Otherwise any random quantization.
 */
export function tieProne(rng: Rng, dtype: Q8): Quant {
  const q = randomQuant(rng, dtype);
  const s = Math.fround(2 ** -int(rng, 2, 8) * (1 + rng()));
  return rng() < 0.7 ? { ...q, xs: s, ys: s } : q;
}

/**
 * Encodes with the given default-domain opset and without output shapes (ONNX's opset-13 shape
 * inference disagrees with ONNX Runtime's kernels about ceil_mode, which only makes noise).
 */
export function save(g: GraphBuilder, opset = 13): string {
  const model = onnxProto.onnx.ModelProto.decode(g.encode());
  model.opsetImport = [{ domain: '', version: opset }, { domain: 'com.microsoft', version: 1 }];
  for (const o of model.graph!.output ?? []) o.type!.tensorType!.shape = null;
  const path = join(mkdtempSync(join(tmpdir(), 'tinygen-avg-')), 'model.onnx');
  writeFileSync(path, onnxProto.onnx.ModelProto.encode(model).finish());
  return path;
}

/** x → [DQ → op → Q] (qdq) or x → QLinear op (qoperator), for one op per branch. */
export class Branches {
  readonly g = new GraphBuilder();
  private outputs = 0;
  constructor(readonly dtype: Q8) {}

  input(name: string, shape: number[]): string {
    return this.g.input(name, this.dtype, shape);
  }

  qoperator(opType: string, x: string, q: Quant, attrs: Record<string, number | number[] | string>): void {
    const g = this.g;
    const [y] = g.node(opType, [x, g.scalar(q.xs), g.scalar(q.xz, this.dtype), g.scalar(q.ys), g.scalar(q.yz, this.dtype)], attrs, { domain: 'com.microsoft' });
    this.output(y!);
  }

  qdq(opType: string, x: string, q: Quant, attrs: Record<string, number | number[] | string>, extraInputs: string[] = []): void {
    const g = this.g;
    const [xf] = g.node('DequantizeLinear', [x, g.scalar(q.xs), g.scalar(q.xz, this.dtype)]);
    const [a] = g.node(opType, [xf!, ...extraInputs], attrs);
    const [y] = g.node('QuantizeLinear', [a!, g.scalar(q.ys), g.scalar(q.yz, this.dtype)]);
    this.output(y!);
  }

  private output(name: string): void {
    this.g.output(this.g.rename(name, `y${this.outputs++}`), this.dtype, []);
  }
}

export interface PoolSpec {
  rank: 3 | 4;
  channelsLast: boolean;
  attrs: Record<string, number | number[] | string>;
  shape: number[];
  summary: string;
}

/** Random pooling attributes and a fitting input shape (1-D windows on rank 3). */
export function randomPool(rng: Rng, allowChannelsLast: boolean): PoolSpec {
  const rank = rng() < 0.2 ? 3 : 4;
  const channelsLast = allowChannelsLast && rng() < 0.25;
  const spatial = rank - 2;
  const k = Array.from({ length: spatial }, () => int(rng, 1, 4));
  let dims = k.map((kk) => int(rng, kk, 9));
  const global = rng() < 0.15;
  if (global) dims = [...k];
  const s = Array.from({ length: spatial }, () => int(rng, 1, 3));
  const autoPad = global ? 'NOTSET' : pick(rng, ['NOTSET', 'NOTSET', 'NOTSET', 'NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID']);
  const pads = global || autoPad !== 'NOTSET' ? new Array<number>(2 * spatial).fill(0) : [...k, ...k].map((kk) => int(rng, 0, kk - 1));
  const ceil = autoPad === 'NOTSET' ? int(rng, 0, 1) : 0;
  const include = int(rng, 0, 1);
  const [n, c] = [int(rng, 1, 2), int(rng, 1, 5)];
  const shape = channelsLast ? [n, ...dims, c] : [n, c, ...dims];
  const attrs: Record<string, number | number[] | string> = { kernel_shape: k, strides: s, ceil_mode: ceil, count_include_pad: include };
  if (autoPad === 'NOTSET') attrs.pads = pads;
  else attrs.auto_pad = autoPad;
  if (channelsLast) attrs.channels_last = 1;
  const summary = `[${shape}] k[${k}] s[${s}] ${autoPad === 'NOTSET' ? `p[${pads}]` : autoPad} ceil${ceil} incl${include}${channelsLast ? ' cl' : ''}`;
  return { rank, channelsLast, attrs, shape, summary };
}

export interface ReduceSpec {
  shape: number[];
  axes: number[] | undefined;
  keepdims: number;
  noop: number;
  summary: string;
}

export function randomReduce(rng: Rng): ReduceSpec {
  const rank = int(rng, 1, 4);
  const shape = Array.from({ length: rank }, () => (rng() < 0.15 ? 1 : int(rng, 2, rank <= 2 ? 24 : 7)));
  const choice = rng();
  let axes: number[] | undefined = choice < 0.1 ? undefined : [...Array(rank).keys()].filter(() => rng() < 0.5);
  if (axes && axes.length === 0) axes = [int(rng, 0, rank - 1)];
  if (axes && rng() < 0.3) axes = axes.map((a) => a - rank); // negative axes
  const keepdims = int(rng, 0, 1);
  const noop = axes === undefined && rng() < 0.3 ? 1 : 0;
  return { shape, axes, keepdims, noop, summary: `[${shape}] axes ${axes ? `[${axes}]` : 'none'} keep${keepdims}${noop ? ' noop' : ''}` };
}

/** ReduceMean in the opset-13 form (axes attribute) or opset-18 form (axes input). */
export function reduceMeanBranch(b: Branches, x: string, q: Quant, r: ReduceSpec, opset: number): void {
  const attrs: Record<string, number | number[]> = { keepdims: r.keepdims };
  if (opset >= 18) {
    if (r.noop) attrs.noop_with_empty_axes = 1;
    b.qdq('ReduceMean', x, q, attrs, r.axes ? [b.g.constant('int64', [r.axes.length], r.axes)] : []);
  } else {
    b.qdq('ReduceMean', x, q, r.axes ? { ...attrs, axes: r.axes } : attrs);
  }
}
