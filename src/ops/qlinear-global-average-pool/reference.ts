import type { Graph } from '../../ir/graph.ts';
import { clamp, multiplyByQuantizedMultiplier, requantize } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { dequantizeOnnx, divideRoundingAway, quantizeOnnx } from '../common/mean.ts';
import { lanes4Sum } from '../common/mlas.ts';
import type { GlobalAveragePoolParams } from './definition.ts';

/** Per (batch, channel): the integer sum of x - zx over the spatial positions, then each mode's scaling (or ORT's float path). */
export function referenceQLinearGlobalAveragePool(node: PreparedNode<GlobalAveragePoolParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const input = x!.data as Int8Array;
  const out = outputValue(graph, node);
  const rq = p.requant;
  for (let b = 0; b < p.batch; b++)
    for (let c = 0; c < p.channels; c++) {
      const base = b * p.batchStride + c * p.channelStride;
      if (p.floatPath) {
        const values = Array.from({ length: p.spatial }, (_, s) => dequantizeOnnx(input[base + s * p.spatialStride]!, p.inZeroPoint, p.inScale));
        out.data[b * p.channels + c] = quantizeOnnx(Math.fround(lanes4Sum(values) / p.spatial), p.outScale, rq.zeroPoint);
        continue;
      }
      let acc = 0;
      for (let s = 0; s < p.spatial; s++) acc += input[base + s * p.spatialStride]! - p.inZeroPoint;
      out.data[b * p.channels + c] =
        rq.mode === 'onnx'
          ? requantize(rq, 0, acc)
          : clamp(divideRoundingAway(multiplyByQuantizedMultiplier(acc, rq.multipliers[0]!), p.spatial) + rq.zeroPoint, -128, 127);
    }
  return [out];
}
