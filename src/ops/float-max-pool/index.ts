import { defineOp } from '../op.ts';
import { inferFloatMaxPool, prepareFloatMaxPool } from './definition.ts';
import { referenceFloatMaxPool } from './reference.ts';
import { emitFloatMaxPool } from './emit.ts';

export const floatMaxPool = defineOp({
  op: 'FloatMaxPool',
  summary: 'float32 NCHW max pooling, 1-D to 3-D: pads, strides, dilations, auto_pad, ceil_mode (no Indices output)',
  layout: 'fixed',
  infer: inferFloatMaxPool,
  prepare: prepareFloatMaxPool,
  reference: referenceFloatMaxPool,
  emit: emitFloatMaxPool,
});
