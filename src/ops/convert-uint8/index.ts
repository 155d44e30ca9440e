/**
 * ConvertUint8 (internal): at a uint8 model's API, uint8 v ↔ int8 v - 128 with the zero point
 * moved by the same 128, so the int8 body computes exactly what the uint8 model would.
 */
import { tensorOf } from '../../ir/graph.ts';
import { defineOp, type NoParams } from '../op.ts';
import { allocate } from '../common/values.ts';

export const convertUint8 = defineOp<NoParams>({
  op: 'ConvertUint8',
  summary: 'internal: uint8 <-> int8 at the API (flip bit 7)',
  layout: 'any',
  // tg_flip_sign_u8 reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer(node, graph) {
    const x = tensorOf(graph, node.inputs[0]!);
    const to = node.attrs.to as 'int8' | 'uint8';
    const delta = to === 'int8' ? -128 : 128;
    const quant = x.quant && { ...x.quant, zeroPoint: x.quant.zeroPoint.map((z) => z + delta) };
    return [{ shape: [...x.shape], dtype: to, quant }];
  },
  prepare: () => ({}),
  reference(node, [x], graph) {
    const out = allocate(node.attrs.to as 'int8' | 'uint8', x!.data.length);
    for (let i = 0; i < out.length; i++) (out as Int8Array)[i] = (x!.data as Int8Array)[i]! + (node.attrs.to === 'int8' ? -128 : 128);
    return [{ dtype: node.attrs.to as 'int8' | 'uint8', shape: [...tensorOf(graph, node.outputs[0]!).shape], data: out }];
  },
  emit(node, graph, ctx) {
    const count = tensorOf(graph, node.outputs[0]!).shape.reduce((a, b) => a * b, 1);
    return `tg_flip_sign_u8(${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${count});`;
  },
});
