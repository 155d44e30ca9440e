import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { bitsOf, ELEM, storeFloat } from '../common/float-values.ts';
import { sigmoidf, tanhf } from '../../numerics/float-math.ts';
import { ACT, type FloatActivationParams } from './definition.ts';

const f32 = Math.fround;

function hardSigmoid(p: FloatActivationParams, x: number): number {
  const v = f32(f32(p.alpha * x) + p.beta);
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** One float32 result (see definition.ts for the order of the steps). */
export function floatActivation(p: FloatActivationParams, x: number): number {
  switch (p.fn) {
    case ACT.clip: {
      let v = x;
      if (p.hasMin && v < p.min) v = p.min;
      if (p.hasMax && v > p.max) v = p.max;
      return v;
    }
    case ACT.leakyRelu:
      return x < 0 ? f32(p.alpha * x) : x;
    case ACT.hardSigmoid:
      return hardSigmoid(p, x);
    case ACT.hardSwish:
      return f32(x * hardSigmoid(p, x));
    case ACT.sigmoid:
      return sigmoidf(x);
    default:
      return tanhf(x);
  }
}

export function referenceFloatActivation(node: PreparedNode<FloatActivationParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const out = outputValue(graph, node);
  const input = x!.data as ArrayLike<number>;
  if (p.elem === ELEM.f32) {
    const data = out.data as Float32Array;
    const bits = bitsOf(data);
    for (let i = 0; i < p.count; i++) storeFloat(data, bits, i, floatActivation(p, input[i]!));
  } else {
    for (let i = 0; i < p.count; i++) out.data[i] = Math.min(p.intMax, Math.max(p.intMin, input[i]!));
  }
  return [out];
}
