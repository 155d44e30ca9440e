import { defineOp } from '../op.ts';
import { inferQLinearReduceMean, prepareQLinearReduceMean, reduceMeanLayout, reduceMeanToNhwc } from './definition.ts';
import { referenceQLinearReduceMean } from './reference.ts';
import { emitQLinearReduceMean } from './emit.ts';

export const qlinearReduceMean = defineOp({
  op: 'QLinearReduceMean',
  summary: 'int8 mean over any axes (QDQ ReduceMean), int16 as TFLite 16x8 MEAN; over H and W of 4-D tensors on NHWC',
  layout: reduceMeanLayout,
  infer: inferQLinearReduceMean,
  toNhwc: reduceMeanToNhwc,
  prepare: prepareQLinearReduceMean,
  reference: referenceQLinearReduceMean,
  emit: emitQLinearReduceMean,
});
