import { defineOp } from '../op.ts';
import { inferFloatSoftmax, prepareFloatSoftmax } from './definition.ts';
import { referenceFloatSoftmax } from './reference.ts';
import { emitFloatSoftmax } from './emit.ts';

export const floatSoftmax = defineOp({
  op: 'FloatSoftmax',
  summary: "float32 softmax (opset < 13: rows of the 2-D coercion at axis; from 13: one axis), max-subtracted, tinygen's own expf; float ops only",
  layout: 'fixed',
  infer: inferFloatSoftmax,
  prepare: prepareFloatSoftmax,
  reference: referenceFloatSoftmax,
  emit: emitFloatSoftmax,
});
