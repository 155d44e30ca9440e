import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { EmitContext } from '../op.ts';
import { emitAxisMap } from '../common/axis-map.ts';
import type { PadParams } from './definition.ts';

export function emitPad(node: Node, graph: Graph, ctx: EmitContext): string {
  const y = tensorOf(graph, node.outputs[0]!);
  return emitAxisMap(ctx, node.params as PadParams, y.dtype, ctx.pointer(node.inputs[0]!), ctx.pointer(y.name));
}
