import type { Graph } from '../../ir/graph.ts';
import { clamp, multiplyByQuantizedMultiplier, requantize } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { dequantizeOnnx, divideRoundingAway, quantizeAverageOnnx, quantizeOnnx } from '../common/mean.ts';
import { lanes4Sum } from '../common/mlas.ts';
import type { AveragePoolParams } from './definition.ts';

const f32 = Math.fround;

/** ONNX Runtime's float AveragePool: the window's dequantized taps summed in float32 in p.floatSum's order. */
function floatWindowSum(p: AveragePoolParams, at: (iy: number, ix: number) => number, y0: number, y1: number, x0: number, x1: number): number {
  const v = (iy: number, ix: number) => dequantizeOnnx(at(iy, ix), p.inZeroPoint, p.inScale);
  let sum = 0;
  if (p.floatSum === 'columns') {
    for (let ix = x0; ix < x1; ix++) {
      let column = 0;
      for (let iy = y0; iy < y1; iy++) column = f32(column + v(iy, ix));
      sum = f32(sum + column);
    }
  } else if (p.floatSum === 'lanes4') {
    const taps: number[] = [];
    for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) taps.push(v(iy, ix));
    sum = lanes4Sum(taps);
  } else {
    for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) sum = f32(sum + v(iy, ix));
  }
  return sum;
}

/**
 * The divisor: the taps inside the input; with count_include_pad the kernel area (ORT's
 * QLinearAveragePool), or the window clipped to the padded input (ORT's float AveragePool, whose
 * ceil_mode windows can run past the end padding).
 */
function windowCount(p: AveragePoolParams, y0: number, x0: number, valid: number): number {
  const g = p.geometry;
  if (!p.countIncludePad) return valid;
  if (!p.clipCount) return g.kH * g.kW;
  return (Math.min(y0 + g.kH, p.paddedH) - y0) * (Math.min(x0 + g.kW, p.paddedW) - x0);
}

/**
 * Average of each window's taps inside the input (see definition.ts for both modes). Taps are
 * visited row by row, left to right, which is ONNX Runtime's float summation order.
 */
export function referenceQLinearAveragePool(node: PreparedNode<AveragePoolParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const g = p.geometry;
  const out = outputValue(graph, node);
  if (p.int16) return [int16AveragePool(p, x!.data as Int16Array, out)];
  const input = x!.data as Int8Array;
  const [sn, sh, sw, sc] = p.inStrides;
  const [tn, th, tw, tc] = p.outStrides;
  const rq = p.requant;
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outH; oy++) {
      const y0 = oy * g.strideH - g.padTop;
      const yEnd = Math.min(y0 + g.kH, g.inH);
      const yStart = Math.max(y0, 0);
      for (let ox = 0; ox < g.outW; ox++) {
        const x0 = ox * g.strideW - g.padLeft;
        const xEnd = Math.min(x0 + g.kW, g.inW);
        const xStart = Math.max(x0, 0);
        const valid = (yEnd - yStart) * (xEnd - xStart);
        const count = windowCount(p, y0, x0, valid);
        for (let c = 0; c < g.inC; c++) {
          const at = (iy: number, ix: number) => input[b * sn + iy * sh + ix * sw + c * sc]!;
          let result: number;
          if (p.mode === 'onnx' && p.floatSum !== 'none') {
            result = quantizeOnnx(f32(floatWindowSum(p, at, yStart, yEnd, xStart, xEnd) / count), p.outScale, p.outZeroPoint);
          } else if (p.mode === 'onnx' && !p.global) {
            let sum = 0;
            for (let iy = yStart; iy < yEnd; iy++) for (let ix = xStart; ix < xEnd; ix++) sum = f32(sum + dequantizeOnnx(at(iy, ix), p.inZeroPoint, p.inScale));
            result = quantizeAverageOnnx(f32(sum / count), p.outScale, p.modelOutZeroPoint, p.outOffset);
          } else {
            let acc = 0;
            for (let iy = yStart; iy < yEnd; iy++) for (let ix = xStart; ix < xEnd; ix++) acc += at(iy, ix) - p.inZeroPoint;
            if (p.mode === 'onnx') {
              result = requantize(rq, 0, acc);
            } else if (p.sameQuant) {
              // TFLM divides the sum of the raw values; padding counted in holds the zero point.
              result = clamp(divideRoundingAway(acc + p.inZeroPoint * count, count), -128, 127);
            } else {
              const scaled = multiplyByQuantizedMultiplier(acc, (rq as Extract<typeof rq, { mode: 'tflite' }>).multipliers[0]!);
              result = clamp(divideRoundingAway(scaled, count) + rq.zeroPoint, -128, 127);
            }
          }
          out.data[b * tn + oy * th + ox * tw + c * tc] = result;
        }
      }
    }
  return [out];
}

/**
 * TFLM's int16 AVERAGE_POOL_2D (NHWC, output quantized as the input): the raw values of the taps
 * inside the input summed, divided by their count rounding half away from zero, then clamped to
 * the activation range.
 */
function int16AveragePool(p: AveragePoolParams, input: Int16Array, out: Value): Value {
  const g = p.geometry;
  const { actMin, actMax } = p.int16!;
  let o = 0;
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outH; oy++) {
      const y0 = oy * g.strideH - g.padTop;
      const [yStart, yEnd] = [Math.max(y0, 0), Math.min(y0 + g.kH, g.inH)];
      for (let ox = 0; ox < g.outW; ox++) {
        const x0 = ox * g.strideW - g.padLeft;
        const [xStart, xEnd] = [Math.max(x0, 0), Math.min(x0 + g.kW, g.inW)];
        const count = (yEnd - yStart) * (xEnd - xStart);
        for (let c = 0; c < g.inC; c++) {
          let acc = 0;
          for (let iy = yStart; iy < yEnd; iy++) for (let ix = xStart; ix < xEnd; ix++) acc += input[((b * g.inH + iy) * g.inW + ix) * g.inC + c]!;
          out.data[o++] = clamp(divideRoundingAway(acc, count), actMin, actMax);
        }
      }
    }
  return out;
}
