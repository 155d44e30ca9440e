import { defineOp } from '../op.ts';
import { inferTfliteSoftmax, prepareTfliteSoftmax } from './definition.ts';
import { referenceTfliteSoftmax } from './reference.ts';
import { emitTfliteSoftmax } from './emit.ts';

export const tfliteSoftmax = defineOp({
  op: 'TFLiteSoftmax',
  summary: "TFLite int8 SOFTMAX along the last axis, by TFLM's fixed-point arithmetic (output scale 1/256, zero point -128)",
  // The last axis of the tensor as the file declares it.
  layout: 'fixed',
  infer: inferTfliteSoftmax,
  prepare: prepareTfliteSoftmax,
  reference: referenceTfliteSoftmax,
  emit: emitTfliteSoftmax,
});
