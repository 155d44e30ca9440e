import type { Graph } from '../../ir/graph.ts';
import { clamp, roundHalfEven } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { SoftmaxOnnxParams, SoftmaxParams, SoftmaxTfliteParams } from './definition.ts';
import { SOFTMAX_DIFF_INTEGER_BITS } from './definition.ts';
import { expOnNegativeValues, rdbpot, reciprocal, srdhm } from '../common/gemmlowp-fixed-point.ts';

const f32 = Math.fround;

/** Calls row(offset, stride) for each of the outer x inner rows of D elements. */
function forEachRow(p: SoftmaxParams, row: (offset: number, stride: number) => void): void {
  const { outer, axis, inner } = p.geometry;
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) row(o * axis * inner + i, inner);
}

function rowMax(x: Int8Array, offset: number, stride: number, length: number): number {
  let max = -128;
  for (let k = 0; k < length; k++) max = Math.max(max, x[offset + k * stride]!);
  return max;
}

function softmaxOnnx(p: SoftmaxOnnxParams, x: Int8Array, y: Int8Array): void {
  const n = p.geometry.axis;
  forEachRow(p, (offset, stride) => {
    const max = rowMax(x, offset, stride, n);
    let sum = 0;
    for (let k = 0; k < n; k++) sum = f32(sum + p.expTable[x[offset + k * stride]! - max + 255]!);
    for (let k = 0; k < n; k++) {
      const at = offset + k * stride;
      const scaled = f32(p.expTable[x[at]! - max + 255]! * p.yFactor);
      y[at] = Number.isFinite(scaled) ? clamp(roundHalfEven(f32(scaled / sum)) + p.zeroPoint, -128, 127) : p.overflowValue;
    }
  });
}

/** x / 2^exponent rounded half away from zero, for 0 <= x < 2^31 and any exponent >= 0. */
function shiftDown(x: number, exponent: number): number {
  return exponent > 31 ? 0 : rdbpot(x, exponent);
}

/**
 * TFLM's int8 softmax in gemmlowp fixed point (reference_ops::Softmax), here with an optional
 * output rescale; into int8, or into int16 (TFLiteSoftmax's int8 → int16 form): `y`'s type sets
 * the bounds.
 */
export function softmaxTflite(p: SoftmaxTfliteParams, x: Int8Array, y: Int8Array | Int16Array): void {
  const n = p.geometry.axis;
  const [lo, hi] = y instanceof Int16Array ? [-32768, 32767] : [-128, 127];
  // exp(x - max) in Q0.31, or undefined below diff_min.
  const expOf = (diff: number): number | undefined =>
    diff < p.diffMin ? undefined : expOnNegativeValues(srdhm(diff * 2 ** p.inputLeftShift, p.inputMultiplier), SOFTMAX_DIFF_INTEGER_BITS);
  forEachRow(p, (offset, stride) => {
    const max = rowMax(x, offset, stride, n);
    let sum = 0; // Q12.19
    for (let k = 0; k < n; k++) {
      const e = expOf(x[offset + k * stride]! - max);
      if (e !== undefined) sum = (sum + rdbpot(e, 12)) | 0;
    }
    const { value: scale, bitsOverUnit } = reciprocal(sum, 12);
    for (let k = 0; k < n; k++) {
      const at = offset + k * stride;
      const e = expOf(x[at]! - max);
      if (e === undefined) {
        y[at] = clamp(p.zeroPoint, lo, hi);
        continue;
      }
      let probability = srdhm(scale, e); // Q0.31, times 2^bitsOverUnit
      if (p.outputMultiplier !== 0) probability = srdhm(probability, p.outputMultiplier);
      y[at] = clamp(shiftDown(probability, bitsOverUnit + p.outputShift) + p.zeroPoint, lo, hi);
    }
  });
}

export function referenceQLinearSoftmax(node: PreparedNode<SoftmaxParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const out = outputValue(graph, node);
  if (p.mode === 'onnx') softmaxOnnx(p, x!.data as Int8Array, out.data as Int8Array);
  else softmaxTflite(p, x!.data as Int8Array, out.data as Int8Array);
  return [out];
}
