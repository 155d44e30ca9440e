/**
 * Small TFLite networks for the tests, built with tflite-builder: seeded random weights, int8
 * activations, NHWC as TFLite has them.
 */
import { seededRandom } from '../../src/validate/records.ts';
import { arithmeticOptions, concatenationOptions, reducerOptions, conv2dOptions, depthwiseOptions, pool2dOptions, type ModelSpec, type OperatorSpec, type TensorSpec } from './tflite-builder.ts';

export const TFLITE = {
  INT8: 9,
  INT32: 2,
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  FULLY_CONNECTED: 9,
  CONCATENATION: 2,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU6_OP: 21,
  RESHAPE: 22,
  PAD: 34,
  TRANSPOSE: 39,
  MEAN: 40,
  SAME: 0,
  VALID: 1,
  RELU: 1,
  RELU6: 3,
} as const;

/** Appends tensors and operators and hands back tensor indices. */
export class TfliteSpecBuilder {
  readonly tensors: TensorSpec[] = [];
  readonly operators: OperatorSpec[] = [];
  readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  tensor(spec: TensorSpec): number {
    this.tensors.push(spec);
    return this.tensors.length - 1;
  }

  activation(name: string, shape: number[], scale: number, zeroPoint: number): number {
    return this.tensor({ name, type: TFLITE.INT8, shape, scale: [scale], zeroPoint: [zeroPoint] });
  }

  /** Random int8 weights in [-range, range], symmetric per-channel scales along `axis`. */
  weights(name: string, shape: number[], axis: number, range = 60): number {
    const count = shape.reduce((a, b) => a * b, 1);
    const data = Int8Array.from({ length: count }, () => Math.floor(this.random() * (2 * range + 1)) - range);
    const scale = Array.from({ length: shape[axis]! }, () => 0.002 + this.random() * 0.01);
    return this.tensor({ name, type: TFLITE.INT8, shape, data, scale, zeroPoint: scale.map(() => 0), quantizedDimension: axis });
  }

  bias(name: string, count: number): number {
    return this.tensor({ name, type: TFLITE.INT32, shape: [count], data: Int32Array.from({ length: count }, () => Math.floor(this.random() * 4001) - 2000) });
  }

  op(code: number, inputs: number[], outputs: number[], options?: OperatorSpec['options']): void {
    this.operators.push({ code, inputs, outputs, ...(options ? { options } : {}) });
  }

  spec(inputs: number[], outputs: number[]): ModelSpec {
    return { tensors: this.tensors, operators: this.operators, inputs, outputs };
  }
}

/**
 * A DS-CNN-like keyword-spotting network on an [1, 10, 8, 1] input: a strided 3x3 conv, a
 * depthwise-separable block (3x3 depthwise, 1x1 pointwise) with a residual ADD, a max pool, an
 * average pool over what is left, and a FULLY_CONNECTED classifier over 4 classes.
 */
export function dsCnnLike(seed = 7): ModelSpec {
  const b = new TfliteSpecBuilder(seed);
  const { SAME, VALID, RELU, RELU6 } = TFLITE;
  const x = b.activation('input', [1, 10, 8, 1], 0.04, -5);
  const c1 = b.activation('conv1', [1, 5, 4, 8], 0.05, -128);
  b.op(TFLITE.CONV_2D, [x, b.weights('conv1_w', [8, 3, 3, 1], 0), b.bias('conv1_b', 8)], [c1], conv2dOptions({ padding: SAME, stride: [2, 2], activation: RELU6 }));
  const dw = b.activation('dw', [1, 5, 4, 8], 0.04, -128);
  b.op(TFLITE.DEPTHWISE_CONV_2D, [c1, b.weights('dw_w', [1, 3, 3, 8], 3), b.bias('dw_b', 8)], [dw], depthwiseOptions({ padding: SAME, stride: [1, 1], multiplier: 1, activation: RELU }));
  const pw = b.activation('pw', [1, 5, 4, 8], 0.06, -20);
  b.op(TFLITE.CONV_2D, [dw, b.weights('pw_w', [8, 1, 1, 8], 0), b.bias('pw_b', 8)], [pw], conv2dOptions({ padding: VALID, stride: [1, 1] }));
  const sum = b.activation('residual', [1, 5, 4, 8], 0.08, -10);
  b.op(TFLITE.ADD, [c1, pw], [sum], arithmeticOptions(11, RELU));
  const mp = b.activation('maxpool', [1, 4, 3, 8], 0.08, -10);
  b.op(TFLITE.MAX_POOL_2D, [sum], [mp], pool2dOptions({ padding: VALID, stride: [1, 1], filter: [2, 2] }));
  const ap = b.activation('avgpool', [1, 1, 1, 8], 0.08, -10);
  b.op(TFLITE.AVERAGE_POOL_2D, [mp], [ap], pool2dOptions({ padding: VALID, stride: [1, 1], filter: [4, 3] }));
  const flat = b.activation('flat', [1, 8], 0.08, -10);
  b.op(TFLITE.RESHAPE, [ap], [flat]);
  const logits = b.activation('logits', [1, 4], 0.1, 3);
  b.op(TFLITE.FULLY_CONNECTED, [flat, b.weights('fc_w', [4, 8], 0), b.bias('fc_b', 4)], [logits]);
  return b.spec([x], [logits]);
}

/**
 * The elementwise and data-movement importers in one chain on an [1, 6, 6, 4] input: a dilated
 * 3x3 conv, PAD, a SAME average pool with stride 2 and fused RELU, MUL by a per-channel constant,
 * CONCATENATION of that with its RELU6, MEAN over H and W, and a TRANSPOSE to [1, 8, 1, 1].
 */
export function elementwiseChain(seed = 5): ModelSpec {
  const b = new TfliteSpecBuilder(seed);
  const x = b.activation('input', [1, 6, 6, 4], 0.05, 4);
  const conv = b.activation('conv', [1, 6, 6, 4], 0.05, 0);
  b.op(TFLITE.CONV_2D, [x, b.weights('conv_w', [4, 3, 3, 4], 0), b.bias('conv_b', 4)], [conv], conv2dOptions({ padding: TFLITE.SAME, stride: [1, 1], dilation: [2, 2] }));
  const padding = b.tensor({ name: 'paddings', type: TFLITE.INT32, shape: [4, 2], data: Int32Array.from([0, 0, 1, 1, 2, 1, 0, 0]) });
  const padded = b.activation('padded', [1, 8, 9, 4], 0.05, 0);
  b.op(TFLITE.PAD, [conv, padding], [padded]);
  const pool = b.activation('pool', [1, 4, 5, 4], 0.05, 0);
  b.op(TFLITE.AVERAGE_POOL_2D, [padded], [pool], pool2dOptions({ padding: TFLITE.SAME, stride: [2, 2], filter: [3, 3], activation: TFLITE.RELU }));
  const factor = b.tensor({ name: 'factor', type: TFLITE.INT8, shape: [1, 1, 1, 4], data: Int8Array.from([100, -50, 127, 30]), scale: [0.01], zeroPoint: [0] });
  const product = b.activation('product', [1, 4, 5, 4], 0.03, -8);
  b.op(TFLITE.MUL, [pool, factor], [product], arithmeticOptions(21, 0));
  const relu6 = b.activation('relu6', [1, 4, 5, 4], 0.03, -8);
  b.op(TFLITE.RELU6_OP, [product], [relu6]);
  const joined = b.activation('joined', [1, 4, 5, 8], 0.03, -8);
  b.op(TFLITE.CONCATENATION, [product, relu6], [joined], concatenationOptions(3));
  const axes = b.tensor({ name: 'axes', type: TFLITE.INT32, shape: [2], data: Int32Array.from([1, 2]) });
  const mean = b.activation('mean', [1, 1, 1, 8], 0.02, 5);
  b.op(TFLITE.MEAN, [joined, axes], [mean], reducerOptions(true));
  const perm = b.tensor({ name: 'perm', type: TFLITE.INT32, shape: [4], data: Int32Array.from([0, 3, 1, 2]) });
  const y = b.activation('output', [1, 8, 1, 1], 0.02, 5);
  b.op(TFLITE.TRANSPOSE, [mean, perm], [y]);
  return b.spec([x], [y]);
}
