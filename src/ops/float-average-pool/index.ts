import { defineOp } from '../op.ts';
import { inferFloatAveragePool, prepareFloatAveragePool } from './definition.ts';
import { referenceFloatAveragePool } from './reference.ts';
import { emitFloatAveragePool } from './emit.ts';

export const floatAveragePool = defineOp({
  op: 'FloatAveragePool',
  summary: 'float32 NCHW average pooling, 1-D to 3-D: pads, strides, dilations, auto_pad, ceil_mode, count_include_pad',
  layout: 'fixed',
  infer: inferFloatAveragePool,
  prepare: prepareFloatAveragePool,
  reference: referenceFloatAveragePool,
  emit: emitFloatAveragePool,
});
