import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { Value } from '../op.ts';
import { referenceAxisMap } from '../common/axis-map.ts';
import type { PadParams } from './definition.ts';

/** Each output element reads its mapped input element (through the table, if requantized), or the fill. */
export function referencePad(node: Node, [x]: Value[], graph: Graph): Value[] {
  return [referenceAxisMap(node.params as PadParams, x!, tensorOf(graph, node.outputs[0]!).dtype)];
}
