import type { Graph } from '../../ir/graph.ts';
import { clamp, multiplyByQuantizedMultiplier64, requantizeTflite } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { constantData, outputValue } from '../common/values.ts';
import type { TfliteTransposeConvParams } from './definition.ts';

/**
 * TFLM's order of work, kept as the specification: every input element scattered into a zeroed
 * buffer of output sums, then each sum biased and requantized. (The C kernel gathers per output
 * element instead; integer sums do not depend on the order.) The sums are exact in a double: each
 * product is below 2^22 and prepare bounds the 16x8 ones below 2^47; the int8 ones are wrapped to
 * int32 at the end, which equals TFLM's wrapping at every step.
 */
export function referenceTfliteTransposeConv(node: PreparedNode<TfliteTransposeConvParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const g = p.geometry;
  const input = x!.data as Int8Array | Int16Array;
  const w = constantData(graph, node.inputs[1]!) as Int8Array;
  const bias = node.inputs[2] ? (constantData(graph, node.inputs[2]) as Int32Array | BigInt64Array) : undefined;
  const out = outputValue(graph, node);
  const sums = new Float64Array(out.data.length);
  for (let b = 0; b < g.batch; b++) {
    for (let iy = 0; iy < g.inH; iy++) {
      for (let ix = 0; ix < g.inW; ix++) {
        for (let ic = 0; ic < g.inC; ic++) {
          const v = input[((b * g.inH + iy) * g.inW + ix) * g.inC + ic]! - p.inputZeroPoint;
          for (let fy = 0; fy < g.kH; fy++) {
            const oy = iy * g.strideH - g.padTop + fy;
            if (oy < 0 || oy >= g.outH) continue;
            for (let fx = 0; fx < g.kW; fx++) {
              const ox = ix * g.strideW - g.padLeft + fx;
              if (ox < 0 || ox >= g.outW) continue;
              const o = ((b * g.outH + oy) * g.outW + ox) * g.outC;
              for (let oc = 0; oc < g.outC; oc++) sums[o + oc] += v * w[((oc * g.kH + fy) * g.kW + fx) * g.inC + ic]!;
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < sums.length; i++) {
    const oc = i % g.outC;
    const m = p.multipliers[oc]!;
    if (p.dtype === 'int16') {
      const acc = BigInt(sums[i]!) + (bias ? BigInt(bias[oc]!) : 0n);
      out.data[i] = clamp(multiplyByQuantizedMultiplier64(acc, m), p.actMin, p.actMax);
    } else {
      const acc = ((sums[i]! | 0) + (bias ? Number(bias[oc]!) : 0)) | 0;
      out.data[i] = requantizeTflite(acc, m, p.outputZeroPoint, p.actMin, p.actMax);
    }
  }
  return [out];
}
