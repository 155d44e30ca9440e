import { defineOp } from '../op.ts';
import { convMacs } from '../common/macs.ts';
import { inferFloatConv, prepareFloatConv } from './definition.ts';
import { referenceFloatConv } from './reference.ts';
import { emitFloatConv } from './emit.ts';

export const floatConv = defineOp({
  op: 'FloatConv',
  summary: 'float32 NCHW convolution, 1-D to 3-D: group, bias, pads, strides, dilations, auto_pad; weights constant or not',
  layout: 'fixed',
  infer: inferFloatConv,
  prepare: prepareFloatConv,
  macs: (node, graph) => convMacs(node, graph, 1),
  reference: referenceFloatConv,
  emit: emitFloatConv,
});
