/**
 * The op's registry entry. defineOp infers P (MyOpParams) from prepare's return type, checks that
 * reference and emit take the same P, and erases it for src/ops/registry.ts. To register a copy,
 * add it to OPS there; TEMPLATE itself stays out (test/ops/registry.test.ts skips this folder).
 */
import { defineOp } from '../op.ts';
import { inferMyOp, prepareMyOp } from './definition.ts';
import { referenceMyOp } from './reference.ts';
import { emitMyOp } from './emit.ts';

export const myOp = defineOp({
  op: 'MyOp',
  summary: 'TEMPLATE (not registered): int8 requantized to the output quantization',
  // 'any': elementwise, runs on NCHW or NHWC; 'permutable' ops (attributes that name axes) also give toNhwc; 'fixed' runs on its tensors as they are.
  layout: 'any',
  // The kernel reads input[i] before it writes output[i], so the planner may run it in place.
  inPlace: () => [0],
  infer: inferMyOp,
  prepare: prepareMyOp,
  reference: referenceMyOp,
  emit: emitMyOp,
});
