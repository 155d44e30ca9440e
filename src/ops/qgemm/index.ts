import { defineOp } from '../op.ts';
import { matmulMacs } from '../common/macs.ts';
import { inferQGemm, prepareQGemm } from './definition.ts';
import { referenceQGemm } from './reference.ts';
import { emitQGemm } from './emit.ts';

export const qgemm = defineOp({
  op: 'QGemm',
  summary: 'int8 Gemm with a constant B (per-tensor or per-column), transA/transB, alpha, broadcast int32 bias; int8 or float32 output',
  layout: 'fixed',
  fusesActivation: true,
  infer: inferQGemm,
  prepare: prepareQGemm,
  macs: (node, graph) => matmulMacs(node, graph, node.attrs.transA !== 0),
  reference: referenceQGemm,
  emit: emitQGemm,
});
