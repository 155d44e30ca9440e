import { defineOp } from '../op.ts';
import { inferPad, layoutPad, padToNhwc, preparePad } from './definition.ts';
import { referencePad } from './reference.ts';
import { emitPad } from './emit.ts';

export const pad = defineOp({
  op: 'Pad',
  summary: 'padding (constant, reflect, edge, wrap; negative pads crop) on int8 or int16 data, NHWC for 4-D',
  layout: layoutPad,
  infer: inferPad,
  toNhwc: padToNhwc,
  prepare: preparePad,
  reference: referencePad,
  emit: emitPad,
});
