import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { bitsOf, storeFloat } from '../common/float-values.ts';
import { expf } from '../../numerics/float-math.ts';
import type { FloatSoftmaxParams } from './definition.ts';

const f32 = Math.fround;

export function referenceFloatSoftmax(node: PreparedNode<FloatSoftmaxParams>, [x]: Value[], graph: Graph): Value[] {
  const { outer, length, inner } = node.params;
  const input = x!.data as Float32Array;
  const out = outputValue(graph, node);
  const data = out.data as Float32Array;
  const bits = bitsOf(data);
  const e = new Float32Array(length);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let m = input[base]!;
      for (let j = 1; j < length; j++) {
        const v = input[base + j * inner]!;
        if (v > m) m = v;
      }
      let sum = 0;
      for (let j = 0; j < length; j++) {
        e[j] = expf(f32(input[base + j * inner]! - m));
        sum = f32(sum + e[j]!);
      }
      for (let j = 0; j < length; j++) storeFloat(data, bits, base + j * inner, f32(e[j]! / sum));
    }
  return [out];
}
