import { defineOp } from '../op.ts';
import { inferFloatGlobalPool, prepareFloatGlobalPool } from './definition.ts';
import { referenceFloatGlobalMaxPool } from './reference.ts';
import { emitFloatGlobalMaxPool } from './emit.ts';

export const floatGlobalMaxPool = defineOp({
  op: 'FloatGlobalMaxPool',
  summary: 'float32 maximum over every spatial axis of an [N, C, ...] tensor',
  layout: 'fixed',
  infer: inferFloatGlobalPool,
  prepare: prepareFloatGlobalPool,
  reference: referenceFloatGlobalMaxPool,
  emit: emitFloatGlobalMaxPool,
});
