import { defineOp } from '../op.ts';
import { inferTfliteLeakyRelu, prepareTfliteLeakyRelu } from './definition.ts';
import { referenceTfliteLeakyRelu } from './reference.ts';
import { emitTfliteLeakyRelu } from './emit.ts';

export const tfliteLeakyRelu = defineOp({
  op: 'TFLiteLeakyRelu',
  summary: "TFLite int8 and int16 LEAKY_RELU by TFLM's two prepared multipliers (identity above the zero point, alpha below)",
  layout: 'any',
  // The kernel reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer: inferTfliteLeakyRelu,
  prepare: prepareTfliteLeakyRelu,
  reference: referenceTfliteLeakyRelu,
  emit: emitTfliteLeakyRelu,
});
