import { defineOp } from '../op.ts';
import { convMacs } from '../common/macs.ts';
import { convPatchBytes, inferQLinearConv, convInPlace, prepareQLinearConv } from './definition.ts';
import { referenceQLinearConv } from './reference.ts';
import { emitQLinearConv } from './emit.ts';

export const qlinearConv = defineOp({
  op: 'QLinearConv',
  summary: 'int8 1-D and 2-D convolution, per-tensor or per-channel weights, any group',
  layout: 'fixed',
  fusesActivation: true,
  infer: inferQLinearConv,
  prepare: prepareQLinearConv,
  macs: (node, graph) => convMacs(node, graph, 3),
  scratchBytes: convPatchBytes,
  inPlaceResized: convInPlace,
  reference: referenceQLinearConv,
  emit: emitQLinearConv,
});
