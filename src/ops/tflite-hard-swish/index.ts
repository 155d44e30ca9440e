import { defineOp } from '../op.ts';
import { inferTfliteHardSwish, prepareTfliteHardSwish } from './definition.ts';
import { referenceTfliteHardSwish } from './reference.ts';
import { emitTfliteHardSwish } from './emit.ts';

export const tfliteHardSwish = defineOp({
  op: 'TFLiteHardSwish',
  summary: "TFLite int8 HARD_SWISH by TFLM's int16 fixed-point arithmetic",
  layout: 'any',
  // The kernel reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer: inferTfliteHardSwish,
  prepare: prepareTfliteHardSwish,
  reference: referenceTfliteHardSwish,
  emit: emitTfliteHardSwish,
});
