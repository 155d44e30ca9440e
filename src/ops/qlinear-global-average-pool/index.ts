import { defineOp } from '../op.ts';
import { globalAveragePoolLayout, globalAveragePoolToNhwc, inferQLinearGlobalAveragePool, prepareQLinearGlobalAveragePool } from './definition.ts';
import { referenceQLinearGlobalAveragePool } from './reference.ts';
import { emitQLinearGlobalAveragePool } from './emit.ts';

export const qlinearGlobalAveragePool = defineOp({
  op: 'QLinearGlobalAveragePool',
  summary: 'int8 mean of each channel over all spatial positions (rank >= 3, channels second or last)',
  layout: globalAveragePoolLayout,
  infer: inferQLinearGlobalAveragePool,
  toNhwc: globalAveragePoolToNhwc,
  prepare: prepareQLinearGlobalAveragePool,
  reference: referenceQLinearGlobalAveragePool,
  emit: emitQLinearGlobalAveragePool,
});
