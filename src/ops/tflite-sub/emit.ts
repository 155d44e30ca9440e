import type { Graph } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { broadcastInitializer } from '../common/broadcast.ts';
import type { TfliteSubParams } from './definition.ts';

export function emitTfliteSub(node: PreparedNode<TfliteSubParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const t = p.constants;
  const ctype = p.dtype === 'int16' ? 'int16_t' : 'int8_t';
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
  const operand = (name: string, suffix: string) => {
    const data = tensorOf(graph, name).data;
    return data ? ctx.constArray(suffix, ctype, data as Int8Array | Int16Array) : ctx.pointer(name);
  };
  const [a, b] = node.inputs as [string, string];
  return `tg_tflite_sub_${p.dtype === 'int16' ? 's16' : 's8'}(&${params}, ${operand(a, 'x')}, ${operand(b, 'y')}, ${ctx.pointer(node.outputs[0]!)});`;
}
