import { defineOp } from '../op.ts';
import { inferResize, layoutResize, prepareResize, resizeToNhwc } from './definition.ts';
import { referenceResize } from './reference.ts';
import { emitResize } from './emit.ts';

export const resize = defineOp({
  op: 'Resize',
  summary: 'nearest-neighbour resize (every coordinate and nearest mode), NHWC for 4-D; index maps fixed at compile time',
  layout: layoutResize,
  infer: inferResize,
  toNhwc: resizeToNhwc,
  prepare: prepareResize,
  reference: referenceResize,
  emit: emitResize,
});
