import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { cFloat } from '../../codegen/c-literals.ts';
import type { SoftmaxParams, SoftmaxTfliteParams } from './definition.ts';

export function emitQLinearSoftmax(node: PreparedNode<SoftmaxParams>, _graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const { outer, axis, inner } = p.geometry;
  const x = ctx.pointer(node.inputs[0]!);
  const y = ctx.pointer(node.outputs[0]!);
  if (p.mode === 'onnx') {
    const table = ctx.constArray('exp_table', 'float', p.expTable);
    const params = ctx.constStruct('softmax', 'tg_softmax_onnx_t', `{ ${outer}, ${axis}, ${inner}, ${table}, ${cFloat(p.yFactor)}, ${p.zeroPoint}, ${p.overflowValue} }`);
    return `tg_softmax_onnx_s8(&${params}, ${x}, ${y});`;
  }
  return emitSoftmaxTflite(p, x, y, ctx);
}

/** The call of TFLM's fixed-point softmax kernel on C pointer expressions x and y; `wideOutput` for TFLiteSoftmax's int8 → int16 form. */
export function emitSoftmaxTflite(p: SoftmaxTfliteParams, x: string, y: string, ctx: EmitContext, wideOutput = false): string {
  const { outer, axis, inner } = p.geometry;
  const fields = [outer, axis, inner, p.inputMultiplier, p.inputLeftShift, p.diffMin, p.outputMultiplier, p.outputShift, p.zeroPoint];
  const params = ctx.constStruct('softmax', 'tg_softmax_tflite_t', `{ ${fields.join(', ')} }`);
  return `tg_softmax_tflite_${wideOutput ? 's8_s16' : 's8'}(&${params}, ${x}, ${y});`;
}
