import type { OpDefinition } from '../op.ts';
import { importFloatGlobalMaxPool, inferFloatGlobalPool, prepareFloatGlobalPool } from './definition.ts';
import { referenceFloatGlobalMaxPool } from './reference.ts';
import { emitFloatGlobalMaxPool } from './emit.ts';

export const floatGlobalMaxPool: OpDefinition = {
  op: 'FloatGlobalMaxPool',
  summary: 'float32 maximum over every spatial axis of an [N, C, ...] tensor',
  onnx: [{ domain: '', opType: 'GlobalMaxPool', form: 'float', import: importFloatGlobalMaxPool }],
  layout: 'logical',
  infer: inferFloatGlobalPool,
  prepare: prepareFloatGlobalPool,
  reference: referenceFloatGlobalMaxPool,
  emit: emitFloatGlobalMaxPool,
};
