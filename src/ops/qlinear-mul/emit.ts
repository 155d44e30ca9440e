import type { Graph } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { broadcastInitializer } from '../common/broadcast.ts';
import { cFloat } from '../../codegen/c-literals.ts';
import { operandPointer, ortFloatInitializer } from '../common/qlinear-binary.ts';
import type { QMulParams } from './definition.ts';

export function emitQLinearMul(node: PreparedNode<QMulParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const [a, b] = node.inputs as [string, string];
  const aPtr = operandPointer(graph, ctx, a, 'a');
  const bPtr = operandPointer(graph, ctx, b, 'b');
  const o = p.onnx ?? { ratio: 0, zeroPoint: 0, offset: 0 };
  const t = p.tflite ?? { multiplier: { multiplier: 0, shift: 0 }, zeroPoint: 0 };
  const fields = [
    broadcastInitializer(p.plan),
    p.onnx ? 'TG_ROUND_ONNX' : 'TG_ROUND_TFLITE',
    p.aZeroPoint,
    p.bZeroPoint,
    p.actMin,
    p.actMax,
    cFloat(o.ratio),
    o.zeroPoint,
    o.offset,
    t.multiplier.multiplier,
    t.multiplier.shift,
    t.zeroPoint,
    ortFloatInitializer(p.ortFloat),
  ];
  const params = ctx.constStruct('mul', 'tg_qmul_t', `{ ${fields.join(', ')} }`);
  if (tensorOf(graph, node.outputs[0]!).dtype === 'int16') return `tg_qlinear_mul_s16(&${params}, ${aPtr}, ${bPtr}, ${ctx.pointer(node.outputs[0]!)});`;
  return ctx.specialised({ header: 'tg_qlinear_binary.h', body: 'tg_qlinear_mul_body', library: 'tg_qlinear_mul_s8' }, params, [
    { declaration: 'const int8_t *a', name: 'a', value: aPtr },
    { declaration: 'const int8_t *b', name: 'b', value: bPtr },
    { declaration: 'int8_t *output', name: 'output', value: ctx.pointer(node.outputs[0]!) },
  ]);
}
