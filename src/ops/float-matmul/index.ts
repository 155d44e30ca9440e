import { defineOp } from '../op.ts';
import { matmulMacs } from '../common/macs.ts';
import { inferFloatMatMul, prepareFloatMatMul } from './definition.ts';
import { referenceFloatMatMul } from './reference.ts';
import { emitFloatMatMul } from './emit.ts';

export const floatMatMul = defineOp({
  op: 'FloatMatMul',
  summary: 'float32 MatMul with numpy semantics: 1-D operands and broadcast batch axes; either operand constant or not',
  layout: 'fixed',
  infer: inferFloatMatMul,
  prepare: prepareFloatMatMul,
  macs: matmulMacs,
  reference: referenceFloatMatMul,
  emit: emitFloatMatMul,
});
