import { tensorOf } from '../../ir/graph.ts';
import { defineOp } from '../op.ts';
import { inferQLinearBinary, layoutQLinearBinary, qlinearBinaryToNhwc } from '../common/qlinear-binary.ts';
import { prepareQLinearAdd } from './definition.ts';
import { referenceQLinearAdd } from './reference.ts';
import { emitQLinearAdd } from './emit.ts';

export const qlinearAdd = defineOp({
  op: 'QLinearAdd',
  summary: 'int8 elementwise add (int16 too, as TFLite 16x8), each input at its own scale, numpy broadcasting up to rank 6',
  // int16 comes only from TFLite, whose tensors are NHWC already: it stays as it is (and so never
  // needs qlinearBinaryToNhwc, which permutes int8 constants).
  layout: (node, graph) => (tensorOf(graph, node.outputs[0]!).dtype === 'int16' ? 'fixed' : layoutQLinearBinary(node, graph)),
  fusesActivation: true,
  // tg_qlinear_add_s8 (and _s16) walks an operand as large as the output index for index (a broadcast
  // operand is smaller, and the planner only reuses an input of the output's byte size).
  inPlace: () => [0, 1],
  infer: inferQLinearBinary,
  toNhwc: qlinearBinaryToNhwc,
  prepare: prepareQLinearAdd,
  reference: referenceQLinearAdd,
  emit: emitQLinearAdd,
});
