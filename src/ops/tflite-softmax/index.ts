import { defineOp, type TypedOp } from '../op.ts';
import type { SoftmaxTfliteParams } from '../qlinear-softmax/definition.ts';
import { inferTfliteSoftmax, prepareTfliteSoftmax, type TfliteSoftmaxParams } from './definition.ts';
import { referenceTfliteSoftmax } from './reference.ts';
import { emitTfliteSoftmax } from './emit.ts';

const softmax = defineOp<TfliteSoftmaxParams>({
  op: 'TFLiteSoftmax',
  summary:
    "TFLite SOFTMAX along the last axis by TFLM's methods: int8 in fixed point (output scale 1/256, zero point -128), int16 by its interpolated exp and reciprocal tables (output scale 1/32768, zero points 0)",
  // The last axis of the tensor as the file declares it.
  layout: 'fixed',
  infer: inferTfliteSoftmax,
  prepare: prepareTfliteSoftmax,
  reference: referenceTfliteSoftmax,
  emit: emitTfliteSoftmax,
});

/** Both forms' parameters: an int16 node's carry dtype 'int16'. */
export const tfliteSoftmaxParamsOf = softmax.paramsOf;

/**
 * The registry entry. Its paramsOf gives an int8 node's parameters, the form the CMSIS-NN
 * yardstick maps (src/bench/yardstick), and throws for an int16 node: use tfliteSoftmaxParamsOf.
 */
export const tfliteSoftmax: TypedOp<SoftmaxTfliteParams> = {
  ...softmax,
  paramsOf(node) {
    const p = softmax.paramsOf(node);
    if ('dtype' in p) throw new Error(`internal: node '${node.name}' is an int16 TFLiteSoftmax; its parameters come from tfliteSoftmaxParamsOf`);
    return p;
  },
};
