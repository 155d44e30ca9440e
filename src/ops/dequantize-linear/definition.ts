/** DequantizeLinear: int8/uint8/int16 → float32, per tensor or per axis. */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { OutputInfo } from '../op.ts';
import { checkAffineAxis } from '../quantize-linear/definition.ts';
import { quantOf, requireDtype } from '../common/values.ts';

export function inferDequantizeLinear(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['int8', 'uint8', 'int16'], 'input');
  const q = quantOf(graph, node, x.name, 'input');
  checkAffineAxis(node, x.shape, q.scale.length, q.axis);
  return [{ shape: [...x.shape] }];
}
