import { defineOp } from '../op.ts';
import { inferTfliteRequantize, prepareTfliteRequantize } from './definition.ts';
import { referenceTfliteRequantize } from './reference.ts';
import { emitTfliteRequantize } from './emit.ts';

export const tfliteRequantize = defineOp({
  op: 'TFLiteRequantize',
  summary: "TFLite QUANTIZE between int8, int16 and int32 by TFLM's Requantize (one Q31 multiplier, double rounding)",
  layout: 'any',
  // Equal element sizes only: the kernel reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer: inferTfliteRequantize,
  prepare: prepareTfliteRequantize,
  reference: referenceTfliteRequantize,
  emit: emitTfliteRequantize,
});
