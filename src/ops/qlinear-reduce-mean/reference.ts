import type { Graph } from '../../ir/graph.ts';
import { requantizeTflite } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { dequantizeOnnx, quantizeOnnx } from '../common/mean.ts';
import type { ReduceMeanParams, WalkAxis } from './definition.ts';

const f32 = Math.fround;

/** Every position of a row-major walk over `axes`: storage offset and logical offset. */
function walk(axes: readonly WalkAxis[]): { offset: number; logical: number }[] {
  let positions = [{ offset: 0, logical: 0 }];
  for (const a of axes) {
    const next: { offset: number; logical: number }[] = [];
    for (const p of positions) for (let i = 0; i < a.dim; i++) next.push({ offset: p.offset + i * a.stride, logical: p.logical + i * a.logical });
    positions = next;
  }
  return positions;
}

/** Eigen 3.4's vectorized sum (SSE, 4 lanes) of v, whose first aligned element is at alignedStart. */
export function eigenSum(v: readonly number[], alignedStart: number): number {
  const size = v.length;
  const head = Math.min(alignedStart, size);
  const alignedSize = Math.floor((size - head) / 4) * 4;
  const alignedSize2 = Math.floor((size - head) / 8) * 8;
  if (alignedSize === 0) {
    let r = v[0]!;
    for (let i = 1; i < size; i++) r = f32(r + v[i]!);
    return r;
  }
  const p0 = v.slice(head, head + 4);
  if (alignedSize > 4) {
    const p1 = v.slice(head + 4, head + 8);
    for (let i = head + 8; i < head + alignedSize2; i += 8)
      for (let k = 0; k < 4; k++) {
        p0[k] = f32(p0[k]! + v[i + k]!);
        p1[k] = f32(p1[k]! + v[i + 4 + k]!);
      }
    for (let k = 0; k < 4; k++) p0[k] = f32(p0[k]! + p1[k]!);
    if (alignedSize > alignedSize2) for (let k = 0; k < 4; k++) p0[k] = f32(p0[k]! + v[head + alignedSize2 + k]!);
  }
  let r = f32(f32(p0[0]! + p0[2]!) + f32(p0[1]! + p0[3]!));
  for (let i = 0; i < head; i++) r = f32(r + v[i]!);
  for (let i = head + alignedSize; i < size; i++) r = f32(r + v[i]!);
  return r;
}

/** MLAS's order for a middle reduction: blocks of 4 summed left to right, then a tail of 2 and of 1. */
export function block4Sum(v: readonly number[]): number {
  let acc = 0;
  let i = 0;
  for (; i + 4 <= v.length; i += 4) acc = f32(acc + f32(f32(f32(v[i]! + v[i + 1]!) + v[i + 2]!) + v[i + 3]!));
  if (i + 2 <= v.length) {
    acc = f32(acc + f32(v[i]! + v[i + 1]!));
    i += 2;
  }
  if (i < v.length) acc = f32(acc + v[i]!);
  return acc;
}

/** See definition.ts: ONNX Runtime's float order in onnx mode, TFLM's integer MEAN in tflite mode. */
export function referenceQLinearReduceMean(node: PreparedNode<ReduceMeanParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const out = outputValue(graph, node);
  if (x!.dtype === 'int16') return [int16Mean(p, x!.data as Int16Array, out)];
  const input = x!.data as Int8Array;
  const outer = walk(p.outer);
  const deq = (offset: number) => dequantizeOnnx(input[offset]!, p.inZeroPoint, p.inScale);
  walk(p.kept).forEach((k, o) => {
    if (p.mode === 'tflite') {
      let acc = 0;
      for (const r of outer) for (let s = 0; s < p.segLen; s++) acc += input[k.offset + r.offset + s * p.segStride]! - p.inZeroPoint;
      const rq = p.requant as Extract<ReduceMeanParams['requant'], { mode: 'tflite' }>;
      // One rounding: the multiplier already holds 1 / count (TFLM's QuantizedMeanOrSum).
      out.data[o] = requantizeTflite(acc, rq.multipliers[0]!, rq.zeroPoint, -128, 127);
      return;
    }
    let sum = 0;
    for (const r of outer) {
      const base = k.offset + r.offset;
      if (p.segKind === 'chain') {
        for (let s = 0; s < p.segLen; s++) sum = f32(sum + deq(base + s * p.segStride));
        continue;
      }
      const values = Array.from({ length: p.segLen }, (_, s) => deq(base + s * p.segStride));
      const logical = k.logical + r.logical;
      sum = f32(sum + (p.segKind === 'eigen' ? eigenSum(values, (4 - (logical % 4)) % 4) : block4Sum(values)));
    }
    out.data[o] = quantizeOnnx(f32(sum / p.count), p.outScale, p.requant.zeroPoint);
  });
  return [out];
}

/**
 * TFLM's int16 MEAN: the int8 tflite path with an int32 sum that wraps (TFLM adds with expected
 * overflow, and its sum - z_x * n is narrowed to int32), saturated to int16.
 */
function int16Mean(p: ReduceMeanParams, input: Int16Array, out: Value): Value {
  const rq = p.requant;
  if (rq.mode !== 'tflite') throw new Error('internal: int16 mean outside tflite mode');
  const outer = walk(p.outer);
  walk(p.kept).forEach((k, o) => {
    let acc = 0;
    for (const r of outer) for (let s = 0; s < p.segLen; s++) acc = (acc + input[k.offset + r.offset + s * p.segStride]! - p.inZeroPoint) | 0;
    out.data[o] = requantizeTflite(acc, rq.multipliers[0]!, rq.zeroPoint, rq.min, rq.max);
  });
  return out;
}
