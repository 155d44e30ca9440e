import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { forEachBroadcast } from '../common/broadcast.ts';
import { tflmAddSubElement } from '../qlinear-add/reference.ts';
import type { TfliteSubParams } from './definition.ts';

/** One output element, A's value x minus B's value y (exported for hand derivations in tests). */
export function tfliteSub(p: TfliteSubParams, x: number, y: number): number {
  return tflmAddSubElement(p.constants, -1, x, y, p.actMin, p.actMax);
}

export function referenceTfliteSub(node: PreparedNode<TfliteSubParams>, [a, b]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const x = a!.data as Int8Array | Int16Array;
  const y = b!.data as Int8Array | Int16Array;
  const out = outputValue(graph, node);
  forEachBroadcast(p.plan, (o, ix, iy) => {
    out.data[o] = tfliteSub(p, x[ix]!, y[iy]!);
  });
  return [out];
}
