import { defineOp } from '../op.ts';
import { matmulMacs } from '../common/macs.ts';
import { inferQLinearMatMul, prepareQLinearMatMul } from './definition.ts';
import { referenceQLinearMatMul } from './reference.ts';
import { emitQLinearMatMul } from './emit.ts';

export const qlinearMatMul = defineOp({
  op: 'QLinearMatMul',
  summary: 'int8 matrix product with a constant B, per-tensor or per-column',
  layout: 'fixed',
  fusesActivation: true,
  infer: inferQLinearMatMul,
  prepare: prepareQLinearMatMul,
  macs: matmulMacs,
  reference: referenceQLinearMatMul,
  emit: emitQLinearMatMul,
});
