import { defineOp } from '../op.ts';
import { inferQLinearBinary, layoutQLinearBinary, qlinearBinaryToNhwc } from '../common/qlinear-binary.ts';
import { prepareQLinearAdd } from './definition.ts';
import { referenceQLinearAdd } from './reference.ts';
import { emitQLinearAdd } from './emit.ts';

export const qlinearAdd = defineOp({
  op: 'QLinearAdd',
  summary: 'int8 elementwise add, each input at its own scale, numpy broadcasting up to rank 6',
  layout: layoutQLinearBinary,
  fusesActivation: true,
  // tg_qlinear_add_s8 walks an operand as large as the output index for index (a broadcast
  // operand is smaller, and the planner only reuses an input of the output's byte size).
  inPlace: () => [0, 1],
  infer: inferQLinearBinary,
  toNhwc: qlinearBinaryToNhwc,
  prepare: prepareQLinearAdd,
  reference: referenceQLinearAdd,
  emit: emitQLinearAdd,
});
