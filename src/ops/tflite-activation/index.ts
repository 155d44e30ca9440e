import { defineOp } from '../op.ts';
import { inferTflmActivation, prepareTflmActivation, type TflmActivation } from './definition.ts';
import { referenceTflmActivation } from './reference.ts';
import { emitTflmActivation } from './emit.ts';

function activation(op: string, fn: TflmActivation, summary: string) {
  return defineOp({
    op,
    summary,
    layout: 'any',
    // The kernel reads input[i] before it writes output[i].
    inPlace: () => [0],
    infer: inferTflmActivation,
    prepare: prepareTflmActivation(fn),
    reference: referenceTflmActivation(fn),
    emit: emitTflmActivation(fn),
  });
}

export const tfliteLogistic = activation(
  'TFLiteLogistic',
  'logistic',
  "TFLite LOGISTIC by TFLM's methods: int8 in fixed point (output scale 1/256, zero point -128), int16 by its interpolated sigmoid table (output scale 2^-15, zero points 0)",
);
export const tfliteTanh = activation(
  'TFLiteTanh',
  'tanh',
  "TFLite TANH by TFLM's methods: int8 in fixed point (output scale 1/128, zero point 0), int16 by its interpolated sigmoid table (output scale 2^-15, zero points 0)",
);
