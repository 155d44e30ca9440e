import { defineOp } from '../op.ts';
import { averagePoolLayout, averagePoolToNhwc, inferQLinearAveragePool, prepareQLinearAveragePool } from './definition.ts';
import { referenceQLinearAveragePool } from './reference.ts';
import { emitQLinearAveragePool } from './emit.ts';

export const qlinearAveragePool = defineOp({
  op: 'QLinearAveragePool',
  summary: 'int8 average pooling (2-D, and 1-D on rank-3 inputs), pads, strides, ceil_mode, count_include_pad, channels_last; int16 as TFLite 16x8',
  layout: averagePoolLayout,
  infer: inferQLinearAveragePool,
  toNhwc: averagePoolToNhwc,
  prepare: prepareQLinearAveragePool,
  reference: referenceQLinearAveragePool,
  emit: emitQLinearAveragePool,
});
