import { defineOp } from '../op.ts';
import { inferMaxPool, prepareMaxPool } from './definition.ts';
import { referenceMaxPool } from './reference.ts';
import { emitMaxPool } from './emit.ts';

export const maxPool = defineOp({
  op: 'MaxPool',
  summary: '1-D and 2-D max pooling on int8 (and int16, TFLite 16x8), with pads, strides, dilations and ceil_mode',
  layout: 'fixed',
  infer: inferMaxPool,
  prepare: prepareMaxPool,
  reference: referenceMaxPool,
  emit: emitMaxPool,
});
