import { defineOp } from '../op.ts';
import { convMacs } from '../common/macs.ts';
import { inferConvInteger, prepareConvInteger } from './definition.ts';
import { referenceConvInteger } from './reference.ts';
import { emitConvInteger } from './emit.ts';

export const convInteger = defineOp({
  op: 'ConvInteger',
  summary: 'int8/uint8 1-D and 2-D convolution with zero points (per-tensor or per-channel weights), any group, int32 output',
  layout: 'fixed',
  infer: inferConvInteger,
  prepare: prepareConvInteger,
  macs: (node, graph) => convMacs(node, graph, 3),
  reference: referenceConvInteger,
  emit: emitConvInteger,
});
