/** ONNX Relu, Clip, LeakyRelu, HardSigmoid, HardSwish, Sigmoid, Tanh on float32 tensors, one IR op each, one kernel. */
import { defineOp } from '../op.ts';
import { inferFloatActivation, prepareFloatActivation, type FloatActivationOp } from './definition.ts';
import { referenceFloatActivation } from './reference.ts';
import { emitFloatActivation } from './emit.ts';

function floatActivationOp(op: FloatActivationOp, summary: string) {
  return defineOp({
    op,
    summary: `${summary}; float ops only`,
    layout: 'fixed',
    // tg_float_activation reads input[i] before it writes output[i], for every element type.
    inPlace: () => [0],
    infer: inferFloatActivation,
    prepare: prepareFloatActivation,
    reference: referenceFloatActivation,
    emit: emitFloatActivation,
  });
}

export const floatRelu = floatActivationOp('FloatRelu', 'max(x, 0) on float32 (also int8, uint8, int32)');
export const floatClip = floatActivationOp('FloatClip', 'clamp to constant bounds (inputs from opset 11, attributes before) on float32, int8, uint8, int32');
export const floatLeakyRelu = floatActivationOp('FloatLeakyRelu', 'x < 0 ? alpha * x : x on float32');
export const floatHardSigmoid = floatActivationOp('FloatHardSigmoid', 'clamp(alpha * x + beta, 0, 1) on float32');
export const floatHardSwish = floatActivationOp('FloatHardSwish', 'x * clamp(x / 6 + 1/2, 0, 1) on float32');
export const floatSigmoid = floatActivationOp('FloatSigmoid', "1 / (1 + exp(-x)) on float32 with tinygen's own expf");
export const floatTanh = floatActivationOp('FloatTanh', "tanh on float32 with tinygen's own tanhf");
