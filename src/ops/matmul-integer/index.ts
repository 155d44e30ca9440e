import { defineOp } from '../op.ts';
import { matmulMacs } from '../common/macs.ts';
import { inferMatMulInteger, prepareMatMulInteger } from './definition.ts';
import { referenceMatMulInteger } from './reference.ts';
import { emitMatMulInteger } from './emit.ts';

export const matMulInteger = defineOp({
  op: 'MatMulInteger',
  summary: 'int8/uint8 matrix product with a constant B and zero points, int32 output',
  layout: 'fixed',
  infer: inferMatMulInteger,
  prepare: prepareMatMulInteger,
  macs: matmulMacs,
  reference: referenceMatMulInteger,
  emit: emitMatMulInteger,
});
