import { defineOp } from '../op.ts';
import { convRowsGemmMacs, convRowsGemmScratch, prepareConvRowsGemm } from './definition.ts';
import { inferFusedOutput } from '../common/fused.ts';
import { referenceConvRowsGemm } from './reference.ts';
import { emitConvRowsGemm } from './emit.ts';

export const convRowsGemm = defineOp({
  op: 'ConvRowsGemm',
  summary: 'a convolution flattened into a fully connected layer, run row by row into its sums (made by the line-buffer pass)',
  layout: 'fixed',
  scratchBytes: convRowsGemmScratch,
  macs: convRowsGemmMacs,
  infer: inferFusedOutput,
  prepare: prepareConvRowsGemm,
  reference: referenceConvRowsGemm,
  emit: emitConvRowsGemm,
});
