import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { qlinearConv } from '../qlinear-conv/index.ts';
import type { ConvChainRowsParams } from './definition.ts';

/** The layers' references composed: row by row in C computes the same bytes. */
export function referenceConvChainRows(node: PreparedNode<ConvChainRowsParams>, [x]: Value[], graph: Graph): Value[] {
  let value = x!;
  for (const layer of node.params.layers) value = qlinearConv.reference(layer, [value], graph)[0]!;
  return [value];
}
