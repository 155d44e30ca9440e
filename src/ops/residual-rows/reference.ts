import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { qlinearConv } from '../qlinear-conv/index.ts';
import { qlinearAdd } from '../qlinear-add/index.ts';
import type { ResidualRowsParams } from './definition.ts';

/** The block's three references composed: row by row in C computes the same bytes. */
export function referenceResidualRows(node: PreparedNode<ResidualRowsParams>, [x]: Value[], graph: Graph): Value[] {
  const { first, second, add } = node.params;
  const [middle] = qlinearConv.reference(first, [x!], graph);
  const [branch] = qlinearConv.reference(second, [middle!], graph);
  return qlinearAdd.reference(add, add.inputs.map((name) => (name === node.inputs[0] ? x! : branch!)), graph);
}
