/**
 * A small 16x8 TFLite network for the CMSIS-NN s16 yardstick tests: one layer of each kind the
 * yardstick maps (a padded, strided conv with a fused RELU and an int64 bias, a depthwise conv with
 * ch_mult 1 that CMSIS-NN runs on its fast path, a dilated depthwise conv with ch_mult 2 and no
 * bias on its general one, a per-tensor FULLY_CONNECTED) and a 1x1 conv with an int32 bias, which
 * it refuses. Output scales are picked so that outputs spread over int16 on random inputs.
 */
import { buildTflite, conv2dOptions, depthwiseOptions, type TensorSpec } from '../helpers/tflite-builder.ts';
import { ActivationFunctionType, BuiltinOperator, Padding, TensorType } from '../../src/frontend/tflite/schema.ts';
import { seededRandom } from '../../src/util/random.ts';

const { INT8, INT16, INT32, INT64 } = TensorType;

/** The CMSIS-NN function each layer maps to (null: refused), in graph order of the compute layers. */
export const S16_NETWORK_KERNELS = ['arm_convolve_wrapper_s16', 'arm_depthwise_conv_wrapper_s16', 'arm_depthwise_conv_wrapper_s16', null, 'arm_fully_connected_s16'] as const;

export function s16Network(): Uint8Array {
  const random = seededRandom(11);
  const int8s = (n: number) => Int8Array.from({ length: n }, () => Math.floor(random() * 255) - 127);
  const int64s = (n: number) => BigInt64Array.from({ length: n }, () => BigInt(Math.floor(random() * 2 ** 21) - 2 ** 20));
  const perChannel = (n: number) => Array.from({ length: n }, (_, c) => 0.01 * (1 + c / n));
  const tensors: TensorSpec[] = [
    { name: 'x', type: INT16, shape: [1, 6, 20, 8], scale: [1 / 4096], zeroPoint: [0] },
    // conv 3x3 SAME, stride [1, 2] (padding 1 on top, none on the left), 8 -> 16, int64 bias, RELU
    { name: 'w1', type: INT8, shape: [16, 3, 3, 8], data: int8s(16 * 9 * 8), scale: perChannel(16), zeroPoint: Array(16).fill(0), quantizedDimension: 0 },
    { name: 'b1', type: INT64, shape: [16], data: int64s(16) },
    { name: 'y1', type: INT16, shape: [1, 6, 10, 16], scale: [0.0054], zeroPoint: [0] },
    // depthwise 3x3 SAME, ch_mult 1, int64 bias
    { name: 'w2', type: INT8, shape: [1, 3, 3, 16], data: int8s(9 * 16), scale: perChannel(16), zeroPoint: Array(16).fill(0), quantizedDimension: 3 },
    { name: 'b2', type: INT64, shape: [16], data: int64s(16) },
    { name: 'y2', type: INT16, shape: [1, 6, 10, 16], scale: [0.011], zeroPoint: [0] },
    // depthwise 3x3 VALID, dilation [1, 2], ch_mult 2, no bias
    { name: 'w3', type: INT8, shape: [1, 3, 3, 32], data: int8s(9 * 32), scale: perChannel(32), zeroPoint: Array(32).fill(0), quantizedDimension: 3 },
    { name: 'y3', type: INT16, shape: [1, 4, 6, 32], scale: [0.036], zeroPoint: [0] },
    // conv 1x1, 32 -> 8, int32 bias: TFLM's int32 path, which the yardstick does not map
    { name: 'w4', type: INT8, shape: [8, 1, 1, 32], data: int8s(8 * 32), scale: perChannel(8), zeroPoint: Array(8).fill(0), quantizedDimension: 0 },
    { name: 'b4', type: INT32, shape: [8], data: Int32Array.from({ length: 8 }, () => Math.floor(random() * 2 ** 16) - 2 ** 15) },
    { name: 'y4', type: INT16, shape: [1, 4, 6, 8], scale: [0.23], zeroPoint: [0] },
    // FULLY_CONNECTED over rows of 64 (the 192 values as 3 rows), per-tensor weights, int64 bias
    { name: 'w5', type: INT8, shape: [10, 64], data: int8s(10 * 64), scale: [0.012], zeroPoint: [0] },
    { name: 'b5', type: INT64, shape: [10], data: int64s(10) },
    { name: 'y5', type: INT16, shape: [3, 10], scale: [2], zeroPoint: [0] },
  ];
  return buildTflite({
    tensors,
    operators: [
      { code: BuiltinOperator.CONV_2D, inputs: [0, 1, 2], outputs: [3], options: conv2dOptions({ padding: Padding.SAME, stride: [1, 2], activation: ActivationFunctionType.RELU }) },
      { code: BuiltinOperator.DEPTHWISE_CONV_2D, inputs: [3, 4, 5], outputs: [6], options: depthwiseOptions({ padding: Padding.SAME, stride: [1, 1], multiplier: 1 }) },
      { code: BuiltinOperator.DEPTHWISE_CONV_2D, inputs: [6, 7, -1], outputs: [8], options: depthwiseOptions({ padding: Padding.VALID, stride: [1, 1], multiplier: 2, dilation: [1, 2] }) },
      { code: BuiltinOperator.CONV_2D, inputs: [8, 9, 10], outputs: [11], options: conv2dOptions({ padding: Padding.VALID, stride: [1, 1] }) },
      { code: BuiltinOperator.FULLY_CONNECTED, inputs: [11, 12, 13], outputs: [14] },
    ],
    inputs: [0],
    outputs: [14],
  });
}
