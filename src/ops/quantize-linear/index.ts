import { defineOp } from '../op.ts';
import { inferQuantizeLinear, prepareAffine } from './definition.ts';
import { referenceQuantizeLinear } from './reference.ts';
import { emitQuantizeLinear } from './emit.ts';

export const quantizeLinear = defineOp({
  op: 'QuantizeLinear',
  summary: 'float32 to int8, per tensor or per axis, round half to even (TFLite: half away from zero)',
  layout: 'fixed',
  infer: inferQuantizeLinear,
  prepare: (node, graph) => prepareAffine(node, graph, node.outputs[0]!),
  reference: referenceQuantizeLinear,
  emit: emitQuantizeLinear,
});
