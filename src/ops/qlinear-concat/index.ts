import { defineOp } from '../op.ts';
import { concatToNhwc, inferQLinearConcat, layoutQLinearConcat, prepareQLinearConcat } from './definition.ts';
import { referenceQLinearConcat } from './reference.ts';
import { emitQLinearConcat } from './emit.ts';

export const qlinearConcat = defineOp({
  op: 'QLinearConcat',
  summary: 'concatenation; inputs quantized unlike the output are requantized (as ONNX Runtime does)',
  layout: layoutQLinearConcat,
  infer: inferQLinearConcat,
  toNhwc: concatToNhwc,
  prepare: prepareQLinearConcat,
  reference: referenceQLinearConcat,
  emit: emitQLinearConcat,
});
