import { defineOp } from '../op.ts';
import { convMacs } from '../common/macs.ts';
import { conv16x8PatchBytes, inferConv16x8, prepareConv16x8 } from './definition.ts';
import { referenceConv16x8 } from './reference.ts';
import { emitConv16x8 } from './emit.ts';

export const conv16x8 = defineOp({
  op: 'Conv16x8',
  summary: "TFLite 16x8 convolution (int16 activations, int8 weights, int64 or int32 bias), TFLM's per-channel arithmetic, any group",
  layout: 'fixed',
  fusesActivation: true,
  infer: inferConv16x8,
  prepare: prepareConv16x8,
  macs: (node, graph) => convMacs(node, graph, 3),
  scratchBytes: conv16x8PatchBytes,
  reference: referenceConv16x8,
  emit: emitConv16x8,
});
