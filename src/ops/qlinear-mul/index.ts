import { defineOp } from '../op.ts';
import { inferQLinearBinary, layoutQLinearBinary, qlinearBinaryToNhwc } from '../common/qlinear-binary.ts';
import { prepareQLinearMul } from './definition.ts';
import { referenceQLinearMul } from './reference.ts';
import { emitQLinearMul } from './emit.ts';

export const qlinearMul = defineOp({
  op: 'QLinearMul',
  summary: 'int8 elementwise multiply, each input at its own scale, numpy broadcasting up to rank 6',
  layout: layoutQLinearBinary,
  fusesActivation: true,
  // tg_qlinear_mul_s8 walks an operand as large as the output index for index (a broadcast
  // operand is smaller, and the planner only reuses an input of the output's byte size).
  inPlace: () => [0, 1],
  infer: inferQLinearBinary,
  toNhwc: qlinearBinaryToNhwc,
  prepare: prepareQLinearMul,
  reference: referenceQLinearMul,
  emit: emitQLinearMul,
});
