import { defineOp } from '../op.ts';
import { inferTfliteSub, prepareTfliteSub } from './definition.ts';
import { referenceTfliteSub } from './reference.ts';
import { emitTfliteSub } from './emit.ts';

export const tfliteSub = defineOp({
  op: 'TFLiteSub',
  summary: "TFLite int8 and int16 SUB by TFLM's integer method (ADD's, with float32-derived multipliers), numpy broadcasting up to rank 6",
  // TFLite's tensors are NHWC already, and a constant operand would need permuting: as it is.
  layout: 'fixed',
  fusesActivation: true,
  // The kernel reads element i of each full-size operand before it writes element i of the output.
  inPlace: () => [0, 1],
  infer: inferTfliteSub,
  prepare: prepareTfliteSub,
  reference: referenceTfliteSub,
  emit: emitTfliteSub,
});
