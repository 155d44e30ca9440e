import { defineOp } from '../op.ts';
import { convChainInPlace, convChainRowsMacs, convChainRowsScratch, prepareConvChainRows } from './definition.ts';
import { inferFusedOutput } from '../common/fused.ts';
import { referenceConvChainRows } from './reference.ts';
import { emitConvChainRows } from './emit.ts';

export const convChainRows = defineOp({
  op: 'ConvChainRows',
  summary: 'a chain of convolutions (pointwise, depthwise, dense) run row by row through windows of rows (made by the line-buffer pass)',
  layout: 'fixed',
  inPlaceResized: convChainInPlace,
  scratchBytes: convChainRowsScratch,
  macs: convChainRowsMacs,
  infer: inferFusedOutput,
  prepare: prepareConvChainRows,
  reference: referenceConvChainRows,
  emit: emitConvChainRows,
});
