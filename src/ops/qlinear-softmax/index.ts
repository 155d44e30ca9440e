import { defineOp } from '../op.ts';
import { inferQLinearSoftmax, layoutQLinearSoftmax, prepareQLinearSoftmax, softmaxToNhwc } from './definition.ts';
import { referenceQLinearSoftmax } from './reference.ts';
import { emitQLinearSoftmax } from './emit.ts';

export const qlinearSoftmax = defineOp({
  op: 'QLinearSoftmax',
  summary: 'int8 softmax along one axis (or the flattened tail before opset 13)',
  layout: layoutQLinearSoftmax,
  infer: inferQLinearSoftmax,
  toNhwc: softmaxToNhwc,
  prepare: prepareQLinearSoftmax,
  reference: referenceQLinearSoftmax,
  emit: emitQLinearSoftmax,
});
