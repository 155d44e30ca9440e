/** The op's semantics: the specification the C kernel must equal byte for byte. */
import type { Graph } from '../../ir/graph.ts';
import { requantizeTflite } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { MyOpParams } from './definition.ts';

/** One int8 value; exported so a test can derive expected bytes by hand from it. */
export function myOp(p: MyOpParams, x: number): number {
  return requantizeTflite(x - p.inputZeroPoint, p.multiplier, p.outputZeroPoint, -128, 127);
}

/** node.params is typed MyOpParams and present: no cast, no check. */
export function referenceMyOp(node: PreparedNode<MyOpParams>, [x]: Value[], graph: Graph): Value[] {
  const input = x!.data as Int8Array;
  const out = outputValue(graph, node);
  for (let i = 0; i < input.length; i++) out.data[i] = myOp(node.params, input[i]!);
  return [out];
}
