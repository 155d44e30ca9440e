import type { Graph } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { referenceAxisMap } from '../common/axis-map.ts';
import type { ResizeParams } from './definition.ts';

/** Each output element copies its nearest input element (index maps fixed at compile time). */
export function referenceResize(node: PreparedNode<ResizeParams>, [x]: Value[], graph: Graph): Value[] {
  return [referenceAxisMap(node.params, x!, tensorOf(graph, node.outputs[0]!).dtype)];
}
