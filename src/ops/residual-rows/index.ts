import { defineOp } from '../op.ts';
import { prepareResidualRows, residualRowsMacs, residualRowsScratch } from './definition.ts';
import { inferFusedOutput } from '../common/fused.ts';
import { referenceResidualRows } from './reference.ts';
import { emitResidualRows } from './emit.ts';

export const residualRows = defineOp({
  op: 'ResidualRows',
  summary: 'a residual block (3x3 conv, 3x3 conv, add to the block input) run row by row (made by the line-buffer pass)',
  layout: 'fixed',
  // Output row r is written after every read of input rows up to r (the first conv's row r + 1
  // needs rows r .. r + 2 and runs before it), and over input row r only: see emit.ts.
  inPlace: () => [0],
  scratchBytes: residualRowsScratch,
  macs: residualRowsMacs,
  infer: inferFusedOutput,
  prepare: prepareResidualRows,
  reference: referenceResidualRows,
  emit: emitResidualRows,
});
