import type { Graph } from '../../ir/graph.ts';
import { clamp, multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplier64 } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { constantData, outputValue } from '../common/values.ts';
import { forEachConvSum } from '../common/conv-accumulate.ts';
import type { Conv16x8Params } from './definition.ts';

/**
 * The raw sum of int16 · int8 products (exact in a double: each is below 2^22 and no layer has 2^31
 * taps), plus the bias, requantized by the bias type's path (definition.ts).
 */
export function referenceConv16x8(node: PreparedNode<Conv16x8Params>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const w = constantData(graph, node.inputs[1]!) as Int8Array;
  const bias = node.inputs[2] ? (constantData(graph, node.inputs[2]) as BigInt64Array | Int32Array) : undefined;
  const out = outputValue(graph, node);
  const sum = { ...p, inZeroPoint: 0, weightZeroPoints: new Array<number>(p.geometry.outC).fill(0), wrap: false };
  forEachConvSum(sum, x!.data as Int16Array, w, (o, oc, acc) => {
    const m = p.multipliers[oc]!;
    const y =
      p.accumulator === 'int64'
        ? multiplyByQuantizedMultiplier64(BigInt(acc) + (bias ? BigInt(bias[oc]!) : 0n), m)
        : multiplyByQuantizedMultiplier((acc + (bias ? Number(bias[oc]!) : 0)) | 0, m);
    out.data[o] = clamp(y, p.actMin, p.actMax);
  });
  return [out];
}
