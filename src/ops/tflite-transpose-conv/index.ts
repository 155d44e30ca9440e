import { defineOp } from '../op.ts';
import { inferTfliteTransposeConv, prepareTfliteTransposeConv, transposeConvMacs } from './definition.ts';
import { referenceTfliteTransposeConv } from './reference.ts';
import { emitTfliteTransposeConv } from './emit.ts';

export const tfliteTransposeConv = defineOp({
  op: 'TFLiteTransposeConv',
  summary: "TFLite TRANSPOSE_CONV in int8 and 16x8 (int16 activations, int64 bias), TFLM's per-channel arithmetic",
  layout: 'fixed',
  // The requantization clamps to attrs.clamp, so a following Relu or Clip can fold in.
  fusesActivation: true,
  infer: inferTfliteTransposeConv,
  prepare: prepareTfliteTransposeConv,
  macs: transposeConvMacs,
  reference: referenceTfliteTransposeConv,
  emit: emitTfliteTransposeConv,
});
