import type { Graph } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { referenceAxisMap } from '../common/axis-map.ts';
import type { PadParams } from './definition.ts';

/** Each output element reads its mapped input element (through the table, if requantized), or the fill. */
export function referencePad(node: PreparedNode<PadParams>, [x]: Value[], graph: Graph): Value[] {
  return [referenceAxisMap(node.params, x!, tensorOf(graph, node.outputs[0]!).dtype)];
}
