import type { OpDefinition } from '../op.ts';
import { inferFloatGlobalPool, prepareFloatGlobalPool } from './definition.ts';
import { referenceFloatGlobalAveragePool } from './reference.ts';
import { emitFloatGlobalAveragePool } from './emit.ts';

export const floatGlobalAveragePool: OpDefinition = {
  op: 'FloatGlobalAveragePool',
  summary: 'float32 mean over every spatial axis of an [N, C, ...] tensor',
  layout: 'logical',
  infer: inferFloatGlobalPool,
  prepare: prepareFloatGlobalPool,
  reference: referenceFloatGlobalAveragePool,
  emit: emitFloatGlobalAveragePool,
};
