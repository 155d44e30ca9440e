import { defineOp } from '../op.ts';
import { prepareAffine } from '../quantize-linear/definition.ts';
import { inferDequantizeLinear } from './definition.ts';
import { referenceDequantizeLinear } from './reference.ts';
import { emitDequantizeLinear } from './emit.ts';

export const dequantizeLinear = defineOp({
  op: 'DequantizeLinear',
  summary: 'int8 to float32, per tensor or per axis',
  layout: 'fixed',
  infer: inferDequantizeLinear,
  prepare: (node, graph) => prepareAffine(node, graph, node.inputs[0]!),
  reference: referenceDequantizeLinear,
  emit: emitDequantizeLinear,
});
