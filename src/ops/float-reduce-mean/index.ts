import { defineOp } from '../op.ts';
import { inferFloatReduceMean, prepareFloatReduceMean } from './definition.ts';
import { referenceFloatReduceMean } from './reference.ts';
import { emitFloatReduceMean } from './emit.ts';

export const floatReduceMean = defineOp({
  op: 'FloatReduceMean',
  summary: 'float32 mean over any axes (attribute or constant input by opset), keepdims, noop_with_empty_axes',
  layout: 'fixed',
  infer: inferFloatReduceMean,
  prepare: prepareFloatReduceMean,
  reference: referenceFloatReduceMean,
  emit: emitFloatReduceMean,
});
