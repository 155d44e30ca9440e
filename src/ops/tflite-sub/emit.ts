import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { broadcastInitializer } from '../common/broadcast.ts';
import { operandPointer } from '../common/qlinear-binary.ts';
import type { TfliteSubParams } from './definition.ts';

export function emitTfliteSub(node: PreparedNode<TfliteSubParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const t = p.constants;
  const fields = [
    `.bc = ${broadcastInitializer(p.plan)}`,
    `.act_min = ${p.actMin}`,
    `.act_max = ${p.actMax}`,
    `.x_offset = ${t.xOffset}`,
    `.y_offset = ${t.yOffset}`,
    `.left_shift = ${t.leftShift}`,
    `.x_multiplier = ${t.xMultiplier.multiplier}`,
    `.x_shift = ${t.xMultiplier.shift}`,
    `.y_multiplier = ${t.yMultiplier.multiplier}`,
    `.y_shift = ${t.yMultiplier.shift}`,
    `.out_multiplier = ${t.outMultiplier.multiplier}`,
    `.out_shift = ${t.outMultiplier.shift}`,
    `.out_zero_point = ${t.zeroPoint}`,
  ];
  const params = ctx.constStruct('sub', 'tg_tflite_sub_t', `{ ${fields.join(', ')} }`);
  // A constant operand (TFLite keeps e.g. a subtracted mean in the file) becomes a const array.
  const [a, b] = node.inputs as [string, string];
  return `tg_tflite_sub_${p.dtype === 'int16' ? 's16' : 's8'}(&${params}, ${operandPointer(graph, ctx, a, 'x')}, ${operandPointer(graph, ctx, b, 'y')}, ${ctx.pointer(node.outputs[0]!)});`;
}
