import type { Graph } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { emitAxisMap } from '../common/axis-map.ts';
import type { ResizeParams } from './definition.ts';

export function emitResize(node: PreparedNode<ResizeParams>, graph: Graph, ctx: EmitContext): string {
  const y = tensorOf(graph, node.outputs[0]!);
  return emitAxisMap(ctx, node.params, y.dtype, ctx.pointer(node.inputs[0]!), ctx.pointer(y.name));
}
