/** Random float32 models for the float pooling ops (FloatAveragePool, FloatMaxPool, the global pools, FloatReduceMean). */
import onnxProto from 'onnx-proto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../helpers/onnx-builder.ts';

export type Rng = () => number;
export const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

type Attrs = Record<string, number | number[] | string>;

/** One float32 node x0 → y0 (plus constant int64 inputs), saved with the given opset and no output shape. */
export function singleNodeModel(opType: string, shape: number[], attrs: Attrs, opset: number, int64Inputs: number[][] = []): string {
  return branchesModel([{ opType, shape, attrs, int64Inputs }], opset);
}

export interface PoolCase {
  opType: 'AveragePool' | 'MaxPool';
  shape: number[];
  attrs: Attrs;
}

/**
 * A random 1-D, 2-D or 3-D pool whose window fits: pads below the kernel (ONNX Runtime's rule),
 * ceil_mode and auto_pad now and then, dilations now and then (sizes kept small).
 */
export function randomPool(rng: Rng, opType: PoolCase['opType'], options: { dilations?: boolean } = {}): PoolCase {
  const rank = pick(rng, [1, 2, 2, 3]);
  const kernel = Array.from({ length: rank }, () => int(rng, 1, rank === 3 ? 3 : 4));
  const strides = Array.from({ length: rank }, () => int(rng, 1, 3));
  const dilations = options.dilations !== false && rng() < 0.4 ? Array.from({ length: rank }, () => int(rng, 1, 3)) : kernel.map(() => 1);
  const pads = [...kernel, ...kernel].map((k) => (rng() < 0.5 ? 0 : int(rng, 0, k - 1)));
  const spatial = kernel.map((k, d) => (k - 1) * dilations[d]! + 1 + int(rng, 0, rank === 3 ? 4 : 7));
  const shape = [int(rng, 1, 2), int(rng, 1, 3), ...spatial];
  const attrs: Attrs = { kernel_shape: kernel, strides };
  if (dilations.some((d) => d !== 1)) attrs.dilations = dilations;
  const mode = rng();
  if (mode < 0.15) attrs.auto_pad = pick(rng, ['SAME_UPPER', 'SAME_LOWER', 'VALID']);
  else {
    if (pads.some((p) => p > 0)) attrs.pads = pads;
    if (mode < 0.55) attrs.ceil_mode = 1;
  }
  if (opType === 'AveragePool' && rng() < 0.5) attrs.count_include_pad = 1;
  return { opType, shape, attrs };
}

export interface ReduceCase {
  shape: number[];
  axes: number[] | undefined;
  keepdims: number;
  noop: number;
}

/** Random ReduceMean: rank 1 to 5, any subset of axes (negative now and then), or none. */
export function randomReduce(rng: Rng): ReduceCase {
  const rank = int(rng, 1, 5);
  const shape = Array.from({ length: rank }, () => int(rng, 1, rank > 3 ? 4 : 6));
  const chosen = [...shape.keys()].filter(() => rng() < 0.5).map((a) => (rng() < 0.3 ? a - rank : a));
  return { shape, axes: rng() < 0.15 ? undefined : chosen, keepdims: rng() < 0.6 ? 1 : 0, noop: rng() < 0.2 ? 1 : 0 };
}

/** The ReduceMean model in opset 18 (axes as an input) or 13 (axes as an attribute, no noop_with_empty_axes). */
export function reduceModel(c: ReduceCase, opset: 13 | 18): string {
  return branchesModel([opset === 18 ? reduceBranch(c) : reduceBranch13(c)], opset);
}

/** The ReduceMean case as a branch in opset 13 (axes as an attribute; noop_with_empty_axes does not exist). */
export function reduceBranch13(c: ReduceCase): Branch {
  return { opType: 'ReduceMean', shape: c.shape, attrs: c.axes !== undefined && c.axes.length > 0 ? { keepdims: c.keepdims, axes: c.axes } : { keepdims: c.keepdims } };
}

export interface Branch {
  opType: string;
  shape: number[];
  attrs: Attrs;
  int64Inputs?: number[][];
}

/** Independent branches x_i → op_i → y_i in one model, so one host build covers many random cases. */
export function branchesModel(branches: readonly Branch[], opset: number): string {
  const g = new GraphBuilder();
  branches.forEach((b, i) => {
    const x = g.input(`x${i}`, 'float32', b.shape);
    const extra = (b.int64Inputs ?? []).map((values) => g.constant('int64', [values.length], values));
    const [y] = g.node(b.opType, [x, ...extra], b.attrs);
    g.output(g.rename(y!, `y${i}`), 'float32', []);
  });
  const model = onnxProto.onnx.ModelProto.decode(g.encode());
  model.opsetImport = [{ domain: '', version: opset }];
  for (const o of model.graph!.output ?? []) o.type!.tensorType!.shape = null;
  const path = join(mkdtempSync(join(tmpdir(), 'tinygen-float-pool-')), 'model.onnx');
  writeFileSync(path, onnxProto.onnx.ModelProto.encode(model).finish());
  return path;
}

/** The ReduceMean case as a branch in opset 18 (axes as a constant input). */
export function reduceBranch(c: ReduceCase): Branch {
  return { opType: 'ReduceMean', shape: c.shape, attrs: c.noop ? { keepdims: c.keepdims, noop_with_empty_axes: 1 } : { keepdims: c.keepdims }, int64Inputs: c.axes === undefined ? [] : [c.axes] };
}
