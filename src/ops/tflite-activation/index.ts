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

export const tfliteLogistic = activation('TFLiteLogistic', 'logistic', "TFLite int8 LOGISTIC by TFLM's fixed-point arithmetic (output scale 1/256, zero point -128)");
export const tfliteTanh = activation('TFLiteTanh', 'tanh', "TFLite int8 TANH by TFLM's fixed-point arithmetic (output scale 1/128, zero point 0)");
