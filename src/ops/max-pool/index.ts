import type { OpDefinition } from '../op.ts';
import { importQdqMaxPool } from '../../frontend/onnx/qdq/max-pool.ts';
import { importMaxPool, inferMaxPool, prepareMaxPool } from './definition.ts';
import { referenceMaxPool } from './reference.ts';
import { emitMaxPool } from './emit.ts';

export const maxPool: OpDefinition = {
  op: 'MaxPool',
  summary: '1-D and 2-D max pooling on int8, with pads, strides, dilations and ceil_mode',
  onnx: [
    { domain: '', opType: 'MaxPool', import: importMaxPool },
    { domain: '', opType: 'MaxPool', form: 'qdq', import: importQdqMaxPool },
  ],
  layout: 'spatial',
  infer: inferMaxPool,
  prepare: prepareMaxPool,
  reference: referenceMaxPool,
  emit: emitMaxPool,
};
