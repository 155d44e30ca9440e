import { defineOp } from '../op.ts';
import { inferFloatGlobalPool, prepareFloatGlobalPool } from './definition.ts';
import { referenceFloatGlobalAveragePool } from './reference.ts';
import { emitFloatGlobalAveragePool } from './emit.ts';

export const floatGlobalAveragePool = defineOp({
  op: 'FloatGlobalAveragePool',
  summary: 'float32 mean over every spatial axis of an [N, C, ...] tensor',
  layout: 'fixed',
  infer: inferFloatGlobalPool,
  prepare: prepareFloatGlobalPool,
  reference: referenceFloatGlobalAveragePool,
  emit: emitFloatGlobalAveragePool,
});
