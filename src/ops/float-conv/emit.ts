import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { floatOperand } from '../common/float-operands.ts';
import type { FloatConvParams } from './definition.ts';

export function emitFloatConv(node: PreparedNode<FloatConvParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const x = floatOperand(ctx, graph, node.inputs[0]!, 'x');
  const w = floatOperand(ctx, graph, node.inputs[1]!, 'weights');
  const bias = floatOperand(ctx, graph, node.inputs[2] ?? '', 'bias');
  const triple = (v: number[]) => `{ ${v.join(', ')} }`;
  const params = ctx.constStruct(
    'conv',
    'tg_float_conv_t',
    `{ ${[p.batch, p.inC, p.outC, p.groups, ...[p.inSize, p.outSize, p.kernel, p.strides, p.dilations, p.padBegin].map(triple)].join(', ')} }`,
  );
  return `tg_float_conv_f32(&${params}, ${x}, ${w}, ${bias}, ${ctx.pointer(node.outputs[0]!)});`;
}
