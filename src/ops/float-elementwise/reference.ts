import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { forEachBroadcast } from '../common/broadcast.ts';
import { bitsOf, ELEM, loadedValue, storeFloat, wrapToStored, type ElemCode } from '../common/float-values.ts';
import type { FloatBinaryParams } from './definition.ts';

const f32 = Math.fround;
const INT32_MIN = -2147483648;

/** One float32 result, rounded once (see definition.ts). */
export function floatBinary(op: number, a: number, b: number): number {
  switch (op) {
    case 0:
      return f32(a + b);
    case 1:
      return f32(a - b);
    case 2:
      return f32(a * b);
    default:
      return f32(a / b);
  }
}

/** One integer result as the type's values (uint8: 0..255), before wrapping. */
export function integerBinary(op: number, elem: ElemCode, a: number, b: number): number {
  switch (op) {
    case 0:
      return elem === ELEM.s32 ? (a + b) | 0 : a + b;
    case 1:
      return elem === ELEM.s32 ? (a - b) | 0 : a - b;
    case 2:
      return elem === ELEM.s32 ? Math.imul(a, b) : a * b;
    default:
      if (b === 0) return 0;
      if (elem === ELEM.s32 && a === INT32_MIN && b === -1) return INT32_MIN;
      return Math.trunc(a / b);
  }
}

export function referenceFloatBinary(node: PreparedNode<FloatBinaryParams>, [a, b]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const out = outputValue(graph, node);
  const x = a!.data as ArrayLike<number>;
  const y = b!.data as ArrayLike<number>;
  if (p.elem === ELEM.f32) {
    const data = out.data as Float32Array;
    const bits = bitsOf(data);
    forEachBroadcast(p.plan, (o, ia, ib) => storeFloat(data, bits, o, floatBinary(p.op, x[ia]!, y[ib]!)));
  } else {
    forEachBroadcast(p.plan, (o, ia, ib) => {
      out.data[o] = wrapToStored(p.elem, integerBinary(p.op, p.elem, loadedValue(p.elem, x[ia]!), loadedValue(p.elem, y[ib]!)));
    });
  }
  return [out];
}
