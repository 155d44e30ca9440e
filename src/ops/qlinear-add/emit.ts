import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { broadcastInitializer, type BroadcastPlan } from '../common/broadcast.ts';
import { operandPointer, ortFloatInitializer } from '../common/qlinear-binary.ts';
import { cFloat } from '../../codegen/c-literals.ts';
import { operands, type QAddParams } from './definition.ts';

/**
 * The add, over its tensors; or (a ResidualRows block) over one row each: `row` gives the plan of
 * a row and a C pointer expression for each operand and the output.
 */
export function emitQLinearAdd(node: PreparedNode<QAddParams>, graph: Graph, ctx: EmitContext, row?: { plan: BroadcastPlan; pointer: (name: string) => string }): string {
  const p = row ? { ...node.params, plan: row.plan } : node.params;
  const [x, y] = operands(node);
  const o = p.onnx ?? { xRatio: 0, yRatio: 0, fixed: 0, offset: 0 };
  const zero = { multiplier: 0, shift: 0 };
  const t = p.tflite ?? { xOffset: 0, yOffset: 0, leftShift: 0, xMultiplier: zero, yMultiplier: zero, outMultiplier: zero, zeroPoint: 0 };
  const fields = [
    broadcastInitializer(p.plan),
    p.onnx ? 'TG_ROUND_ONNX' : 'TG_ROUND_TFLITE',
    p.actMin,
    p.actMax,
    cFloat(o.xRatio),
    cFloat(o.yRatio),
    cFloat(o.fixed),
    o.offset,
    t.xOffset,
    t.yOffset,
    t.leftShift,
    t.xMultiplier.multiplier,
    t.xMultiplier.shift,
    t.yMultiplier.multiplier,
    t.yMultiplier.shift,
    t.outMultiplier.multiplier,
    t.outMultiplier.shift,
    t.zeroPoint,
    ortFloatInitializer(p.ortFloat),
  ];
  const params = ctx.constStruct('add', 'tg_qadd_t', `{ ${fields.join(', ')} }`);
  if (p.dtype === 'int16') {
    // TFLite 16x8 (tflite mode only): the library kernel, never row by row.
    if (row) throw new Error(`internal: '${node.name}' is an int16 add inside a row kernel`);
    return `tg_qlinear_add_s16(&${params}, ${operandPointer(graph, ctx, x, 'x')}, ${operandPointer(graph, ctx, y, 'y')}, ${ctx.pointer(node.outputs[0]!)});`;
  }
  const xPtr = row ? row.pointer(x) : operandPointer(graph, ctx, x, 'x');
  const yPtr = row ? row.pointer(y) : operandPointer(graph, ctx, y, 'y');
  return ctx.specialised({ header: 'tg_qlinear_binary.h', body: 'tg_qlinear_add_body', library: 'tg_qlinear_add_s8' }, params, [
    { declaration: 'const int8_t *x', name: 'x', value: xPtr },
    { declaration: 'const int8_t *y', name: 'y', value: yPtr },
    { declaration: 'int8_t *output', name: 'output', value: row ? row.pointer(node.outputs[0]!) : ctx.pointer(node.outputs[0]!) },
  ]);
}
