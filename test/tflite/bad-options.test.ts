/** TFLite conv, pool and concatenation options tinygen cannot honour: exit 2 with one line naming them. */
import { describe, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOneLineError } from '../helpers/one-line-error.ts';
import { buildTflite, concatenationOptions, conv2dOptions, depthwiseOptions, pool2dOptions, type ModelSpec, type OperatorSpec } from '../helpers/tflite-builder.ts';
import { ActivationFunctionType as Act, BuiltinOperator as Op, Padding, TensorType } from '../../src/frontend/tflite/schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-options-'));

/** x [1, 4, 4, 2] → one operator → y [1, 4, 4, yChannels]; tensor 2 holds 3x3 weights for 2 outputs. */
function oneOperator(op: Omit<OperatorSpec, 'outputs'>, y: { channels?: number; scale?: number } = {}): Uint8Array {
  const spec: ModelSpec = {
    tensors: [
      { name: 'x', type: TensorType.INT8, shape: [1, 4, 4, 2], scale: [0.5], zeroPoint: [0] },
      { name: 'y', type: TensorType.INT8, shape: [1, 4, 4, y.channels ?? 2], scale: [y.scale ?? 0.5], zeroPoint: [0] },
      { name: 'w', type: TensorType.INT8, shape: [2, 3, 3, 2], data: new Int8Array(36).fill(1), scale: [0.1] },
    ],
    operators: [{ ...op, outputs: [1] }],
    inputs: [0],
    outputs: [1],
  };
  return buildTflite(spec);
}

describe('unsupported TFLite options', () => {
  it('a fused activation TFLite conv kernels do not define (TANH)', async () => {
    const model = oneOperator({ code: Op.CONV_2D, inputs: [0, 2, -1], options: conv2dOptions({ padding: Padding.SAME, stride: [1, 1], activation: Act.TANH }) });
    await expectOneLineError(dir, 'tanh.tflite', model, /operator 0 \(CONV_2D\): fused activation TANH is not supported \(NONE, RELU, RELU6, RELU_N1_TO_1\)$/);
  });

  it('a dilation of 0', async () => {
    const model = oneOperator({ code: Op.CONV_2D, inputs: [0, 2, -1], options: conv2dOptions({ padding: Padding.SAME, stride: [1, 1], dilation: [0, 1] }) });
    await expectOneLineError(dir, 'dilation.tflite', model, /operator 0 \(CONV_2D\): filter \[3,3\], strides \[1,1\] and dilations \[0,1\] must all be >= 1$/);
  });

  it('a padding that is neither SAME nor VALID', async () => {
    const model = oneOperator({ code: Op.MAX_POOL_2D, inputs: [0], options: pool2dOptions({ padding: 2, stride: [1, 1], filter: [2, 2] }) });
    await expectOneLineError(dir, 'padding.tflite', model, /operator 0 \(MAX_POOL_2D\): padding 2 is not SAME \(0\) or VALID \(1\)$/);
  });

  it('an average pool that requantizes', async () => {
    const model = oneOperator({ code: Op.AVERAGE_POOL_2D, inputs: [0], options: pool2dOptions({ padding: Padding.SAME, stride: [1, 1], filter: [2, 2] }) }, { scale: 0.25 });
    await expectOneLineError(dir, 'avgpool.tflite', model, /operator 0 \(AVERAGE_POOL_2D\): the input and output quantizations differ/);
  });

  it('a depth multiplier that does not match the weights', async () => {
    const spec = oneOperator({ code: Op.DEPTHWISE_CONV_2D, inputs: [0, 2, -1], options: depthwiseOptions({ padding: Padding.SAME, stride: [1, 1], multiplier: 3 }) });
    await expectOneLineError(dir, 'multiplier.tflite', spec, /operator 0 \(DEPTHWISE_CONV_2D\): depth_multiplier 3 and 2 input channels do not give the weights' 2 channels$/);
  });

  it('a fused activation on CONCATENATION', async () => {
    const model = oneOperator({ code: Op.CONCATENATION, inputs: [0], options: concatenationOptions(3, 1) });
    await expectOneLineError(dir, 'concat.tflite', model, /operator 0 \(CONCATENATION\): a fused activation on CONCATENATION is not supported/);
  });

  it('an output shape the window does not give', async () => {
    const model = oneOperator({ code: Op.CONV_2D, inputs: [0, 2, -1], options: conv2dOptions({ padding: Padding.VALID, stride: [1, 1] }) });
    await expectOneLineError(dir, 'shape.tflite', model, /operator 0 \(CONV_2D\): the output 'y' has shape \[1,4,4,2\], the operator computes \[1,2,2,2\]$/);
  });
});
