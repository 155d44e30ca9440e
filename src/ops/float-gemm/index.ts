import { defineOp } from '../op.ts';
import { matmulMacs } from '../common/macs.ts';
import { inferFloatGemm, prepareFloatGemm } from './definition.ts';
import { referenceFloatGemm } from './reference.ts';
import { emitFloatGemm } from './emit.ts';

export const floatGemm = defineOp({
  op: 'FloatGemm',
  summary: 'float32 Gemm: alpha, beta, transA, transB, optional C broadcast to [M, N]; any operand constant or not',
  layout: 'fixed',
  infer: inferFloatGemm,
  prepare: prepareFloatGemm,
  macs: (node, graph) => matmulMacs(node, graph, node.attrs.trans_a !== 0),
  reference: referenceFloatGemm,
  emit: emitFloatGemm,
});
