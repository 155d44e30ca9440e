import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { cFloat } from '../../codegen/c-literals.ts';
import { requantInitializer } from '../common/emit.ts';
import { windowInitializer } from '../common/window.ts';
import { FLOAT_SUM, type AveragePoolParams } from './definition.ts';

export function emitQLinearAveragePool(node: PreparedNode<AveragePoolParams>, _graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  if (p.int16) {
    // prepare admitted only TFLM's int16 case: NHWC, quantization kept, padding not counted.
    const window = ctx.constStruct('avgpool', 'tg_window_t', windowInitializer(p.geometry));
    return `tg_avgpool_nhwc_s16(&${window}, ${p.int16.actMin}, ${p.int16.actMax}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
  }
  // TFLM's own case (TFLite's AVERAGE_POOL_2D): NHWC, the output quantized as the input, only the
  // taps inside the input counted: a channels-innermost kernel with none of the tests below.
  const channelsInnermost = p.inStrides[3] === 1 && p.outStrides[3] === 1;
  if (p.mode === 'tflite' && p.sameQuant && !p.countIncludePad && p.floatSum === 'none' && !p.clipCount && channelsInnermost) {
    const window = ctx.constStruct('avgpool', 'tg_window_t', windowInitializer(p.geometry));
    return `tg_avgpool_nhwc_s8_tflite(&${window}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
  }
  const fields = [
    windowInitializer(p.geometry),
    `{ ${p.inStrides.join(', ')} }`,
    `{ ${p.outStrides.join(', ')} }`,
    p.countIncludePad ? 1 : 0,
    p.mode === 'onnx' ? 'TG_ROUND_ONNX' : 'TG_ROUND_TFLITE',
    p.global ? 1 : 0,
    p.inZeroPoint,
    cFloat(p.inScale),
    cFloat(p.outScale),
    cFloat(p.modelOutZeroPoint),
    p.outOffset,
    p.sameQuant ? 1 : 0,
    requantInitializer(ctx, p.requant),
    FLOAT_SUM[p.floatSum],
    p.clipCount ? 1 : 0,
    p.paddedH,
    p.paddedW,
    p.outZeroPoint,
  ];
  const params = ctx.constStruct('avgpool', 'tg_avgpool_t', `{ ${fields.join(', ')} }`);
  return `tg_avgpool2d_s8(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
