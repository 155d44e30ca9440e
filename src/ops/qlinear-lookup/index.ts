import { defineOp } from '../op.ts';
import { inferQLinearLookup, prepareQLinearLookup } from './definition.ts';
import { referenceQLinearLookup } from './reference.ts';
import { emitQLinearLookup } from './emit.ts';

export const qlinearLookup = defineOp({
  op: 'QLinearLookup',
  summary: 'int8 elementwise function through a 256-entry table (Sigmoid, Tanh, HardSigmoid, HardSwish, LeakyRelu, Relu, Clip)',
  layout: 'any',
  fusesActivation: true,
  // tg_lookup_s8 reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer: inferQLinearLookup,
  prepare: prepareQLinearLookup,
  reference: referenceQLinearLookup,
  emit: emitQLinearLookup,
});
