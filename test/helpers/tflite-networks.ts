/**
 * Small TFLite networks for the tests, built with tflite-builder: seeded random weights, int8
 * activations, NHWC as TFLite has them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../src/util/random.ts';
import { buildTflite, arithmeticOptions, concatenationOptions, reducerOptions, conv2dOptions, depthwiseOptions, pool2dOptions, type ModelSpec, type OperatorSpec, type TensorSpec } from './tflite-builder.ts';
import { ActivationFunctionType as Act, BuiltinOperator as Op, Padding, TensorType } from '../../src/frontend/tflite/schema.ts';

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
    return this.tensor({ name, type: TensorType.INT8, shape, scale: [scale], zeroPoint: [zeroPoint] });
  }

  /** Random int8 weights in [-range, range], symmetric per-channel scales along `axis`. */
  weights(name: string, shape: number[], axis: number, range = 60): number {
    const count = shape.reduce((a, b) => a * b, 1);
    const data = Int8Array.from({ length: count }, () => Math.floor(this.random() * (2 * range + 1)) - range);
    const scale = Array.from({ length: shape[axis]! }, () => 0.002 + this.random() * 0.01);
    return this.tensor({ name, type: TensorType.INT8, shape, data, scale, zeroPoint: scale.map(() => 0), quantizedDimension: axis });
  }

  bias(name: string, count: number): number {
    return this.tensor({ name, type: TensorType.INT32, shape: [count], data: Int32Array.from({ length: count }, () => Math.floor(this.random() * 4001) - 2000) });
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
  const { SAME, VALID } = Padding;
  const { RELU, RELU6 } = Act;
  const x = b.activation('input', [1, 10, 8, 1], 0.04, -5);
  const c1 = b.activation('conv1', [1, 5, 4, 8], 0.05, -128);
  b.op(Op.CONV_2D, [x, b.weights('conv1_w', [8, 3, 3, 1], 0), b.bias('conv1_b', 8)], [c1], conv2dOptions({ padding: SAME, stride: [2, 2], activation: RELU6 }));
  const dw = b.activation('dw', [1, 5, 4, 8], 0.04, -128);
  b.op(Op.DEPTHWISE_CONV_2D, [c1, b.weights('dw_w', [1, 3, 3, 8], 3), b.bias('dw_b', 8)], [dw], depthwiseOptions({ padding: SAME, stride: [1, 1], multiplier: 1, activation: RELU }));
  const pw = b.activation('pw', [1, 5, 4, 8], 0.06, -20);
  b.op(Op.CONV_2D, [dw, b.weights('pw_w', [8, 1, 1, 8], 0), b.bias('pw_b', 8)], [pw], conv2dOptions({ padding: VALID, stride: [1, 1] }));
  const sum = b.activation('residual', [1, 5, 4, 8], 0.08, -10);
  b.op(Op.ADD, [c1, pw], [sum], arithmeticOptions('AddOptions', RELU));
  const mp = b.activation('maxpool', [1, 4, 3, 8], 0.08, -10);
  b.op(Op.MAX_POOL_2D, [sum], [mp], pool2dOptions({ padding: VALID, stride: [1, 1], filter: [2, 2] }));
  const ap = b.activation('avgpool', [1, 1, 1, 8], 0.08, -10);
  b.op(Op.AVERAGE_POOL_2D, [mp], [ap], pool2dOptions({ padding: VALID, stride: [1, 1], filter: [4, 3] }));
  const flat = b.activation('flat', [1, 8], 0.08, -10);
  b.op(Op.RESHAPE, [ap], [flat]);
  const logits = b.activation('logits', [1, 4], 0.1, 3);
  b.op(Op.FULLY_CONNECTED, [flat, b.weights('fc_w', [4, 8], 0), b.bias('fc_b', 4)], [logits]);
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
  b.op(Op.CONV_2D, [x, b.weights('conv_w', [4, 3, 3, 4], 0), b.bias('conv_b', 4)], [conv], conv2dOptions({ padding: Padding.SAME, stride: [1, 1], dilation: [2, 2] }));
  const padding = b.tensor({ name: 'paddings', type: TensorType.INT32, shape: [4, 2], data: Int32Array.from([0, 0, 1, 1, 2, 1, 0, 0]) });
  const padded = b.activation('padded', [1, 8, 9, 4], 0.05, 0);
  b.op(Op.PAD, [conv, padding], [padded]);
  const pool = b.activation('pool', [1, 4, 5, 4], 0.05, 0);
  b.op(Op.AVERAGE_POOL_2D, [padded], [pool], pool2dOptions({ padding: Padding.SAME, stride: [2, 2], filter: [3, 3], activation: Act.RELU }));
  const factor = b.tensor({ name: 'factor', type: TensorType.INT8, shape: [1, 1, 1, 4], data: Int8Array.from([100, -50, 127, 30]), scale: [0.01], zeroPoint: [0] });
  const product = b.activation('product', [1, 4, 5, 4], 0.03, -8);
  b.op(Op.MUL, [pool, factor], [product], arithmeticOptions('MulOptions', 0));
  const relu6 = b.activation('relu6', [1, 4, 5, 4], 0.03, -8);
  b.op(Op.RELU6, [product], [relu6]);
  const joined = b.activation('joined', [1, 4, 5, 8], 0.03, -8);
  b.op(Op.CONCATENATION, [product, relu6], [joined], concatenationOptions(3));
  const axes = b.tensor({ name: 'axes', type: TensorType.INT32, shape: [2], data: Int32Array.from([1, 2]) });
  const mean = b.activation('mean', [1, 1, 1, 8], 0.02, 5);
  b.op(Op.MEAN, [joined, axes], [mean], reducerOptions(true));
  const perm = b.tensor({ name: 'perm', type: TensorType.INT32, shape: [4], data: Int32Array.from([0, 3, 1, 2]) });
  const y = b.activation('output', [1, 8, 1, 1], 0.02, 5);
  b.op(Op.TRANSPOSE, [mean, perm], [y]);
  return b.spec([x], [y]);
}

/** An int8 activation while a network is built, with the RMS of its real values (what the next layer's scales are chosen from). */
export interface Act {
  index: number;
  shape: number[];
  scale: number;
  zeroPoint: number;
  rms: number;
}

type FusedActivation = typeof Act.NONE | typeof Act.RELU | typeof Act.RELU6;

/** Pre-activation standard deviation every weighted layer aims at, in real units: ReLU6 then clips only the tail. */
const PRE_ACTIVATION_STD = 2;

/**
 * Builds layers with scales a calibration would have picked, without one: each weighted layer's
 * per-channel weight scales make its real pre-activation output have PRE_ACTIVATION_STD (as a
 * trained network with folded batch norm roughly does), and its output quantization covers about
 * four standard deviations, so the activations use most of the int8 range without saturating.
 */
export class CalibratedSpecBuilder extends TfliteSpecBuilder {
  /** An int8 graph input that callers fill with uniformly random bytes. */
  input(name: string, shape: number[], scale: number, zeroPoint: number): Act {
    const uniformByteRms = Math.sqrt(255 ** 2 / 12 + (-0.5 - zeroPoint) ** 2);
    return { index: this.activation(name, shape, scale, zeroPoint), shape, scale, zeroPoint, rms: scale * uniformByteRms };
  }

  /** A float32 graph input of values in [-8, 8] (what `validate` draws) and its QUANTIZE to int8. */
  floatInput(name: string, shape: number[]): { floatIndex: number; quantized: Act } {
    const floatIndex = this.tensor({ name, type: TensorType.FLOAT32, shape });
    const scale = 16 / 255;
    const quantized = { index: this.activation(`${name}_int8`, shape, scale, 0), shape, scale, zeroPoint: 0, rms: 8 / Math.sqrt(3) };
    this.op(Op.QUANTIZE, [floatIndex], [quantized.index]);
    return { floatIndex, quantized };
  }

  /** DEQUANTIZE of an int8 activation to a float32 graph output. */
  floatOutput(name: string, x: Act): number {
    const y = this.tensor({ name, type: TensorType.FLOAT32, shape: x.shape });
    this.op(Op.DEQUANTIZE, [x.index], [y]);
    return y;
  }

  /** Where a zero-mean pre-activation of standard deviation `std` lands after `activation`, quantized. */
  private output(name: string, shape: number[], std: number, activation: FusedActivation): Act {
    const [low, high] = activation === Act.NONE ? [-4 * std, 4 * std] : [0, activation === Act.RELU6 ? Math.min(4 * std, 6) : 4 * std];
    const scale = Math.fround((high - low) / 255);
    const zeroPoint = Math.round(-128 - low / scale);
    return { index: this.activation(name, shape, scale, zeroPoint), shape, scale, zeroPoint, rms: activation === Act.NONE ? std : std / Math.SQRT2 };
  }

  /**
   * Full-range int8 weights, per-channel scales along `axis` chosen so that a dot product of
   * `fanIn` of them with inputs of RMS `inputRms` has PRE_ACTIVATION_STD, and int32 biases of
   * about a tenth of that at scale input × weight, as TFLite requires.
   */
  private layerWeights(name: string, shape: number[], axis: number, fanIn: number, x: Act): { weights: number; bias: number } {
    const count = shape.reduce((a, b) => a * b, 1);
    const channels = shape[axis]!;
    const channelOf = (i: number) => (axis === 0 ? Math.floor(i / (count / channels)) : i % channels);
    const data = Int8Array.from({ length: count }, () => Math.floor(this.random() * 255) - 127);
    const sumSquares = new Array<number>(channels).fill(0);
    data.forEach((w, i) => (sumSquares[channelOf(i)]! += w * w));
    const scale = sumSquares.map((ss) => {
      const weightRms = Math.sqrt(ss / (count / channels));
      const jitter = 0.75 + 0.5 * this.random(); // channels differ, as trained ones do
      return Math.fround((jitter * PRE_ACTIVATION_STD) / (Math.sqrt(fanIn) * x.rms * weightRms));
    });
    const weights = this.tensor({ name: `${name}_w`, type: TensorType.INT8, shape, data, scale, zeroPoint: scale.map(() => 0), quantizedDimension: axis });
    const biasData = Int32Array.from(scale, (s) => Math.round(((this.random() - 0.5) * 0.2 * PRE_ACTIVATION_STD) / (x.scale * s)));
    const bias = this.tensor({ name: `${name}_b`, type: TensorType.INT32, shape: [channels], data: biasData });
    return { weights, bias };
  }

  conv(name: string, x: Act, o: { filters: number; kernel: [number, number]; stride: [number, number]; activation: FusedActivation; padding?: number; dilation?: [number, number] }): Act {
    const [, h, w, c] = x.shape as [number, number, number, number];
    const padding = o.padding ?? Padding.SAME;
    const dilation = o.dilation ?? [1, 1];
    const outHW = spatialOutput([h, w], o.kernel, o.stride, padding, dilation);
    const { weights, bias } = this.layerWeights(name, [o.filters, ...o.kernel, c], 0, o.kernel[0] * o.kernel[1] * c, x);
    const y = this.output(name, [1, ...outHW, o.filters], PRE_ACTIVATION_STD, o.activation);
    this.op(Op.CONV_2D, [x.index, weights, bias], [y.index], conv2dOptions({ padding, stride: o.stride, activation: o.activation, dilation }));
    return y;
  }

  depthwise(name: string, x: Act, o: { kernel: [number, number]; stride: [number, number]; activation: FusedActivation; padding?: number }): Act {
    const [, h, w, c] = x.shape as [number, number, number, number];
    const padding = o.padding ?? Padding.SAME;
    const outHW = spatialOutput([h, w], o.kernel, o.stride, padding);
    const { weights, bias } = this.layerWeights(name, [1, ...o.kernel, c], 3, o.kernel[0] * o.kernel[1], x);
    const y = this.output(name, [1, ...outHW, c], PRE_ACTIVATION_STD, o.activation);
    this.op(Op.DEPTHWISE_CONV_2D, [x.index, weights, bias], [y.index], depthwiseOptions({ padding, stride: o.stride, multiplier: 1, activation: o.activation }));
    return y;
  }

  /** FULLY_CONNECTED over the flattened input, to [1, units]. */
  fullyConnected(name: string, x: Act, units: number, activation: FusedActivation): Act {
    const fanIn = x.shape.reduce((a, b) => a * b, 1);
    const { weights, bias } = this.layerWeights(name, [units, fanIn], 0, fanIn, x);
    const y = this.output(name, [1, units], PRE_ACTIVATION_STD, activation);
    this.operators.push({ code: Op.FULLY_CONNECTED, inputs: [x.index, weights, bias], outputs: [y.index], fusedActivation: activation });
    return y;
  }

  /** ADD of two activations of the same shape; their real values add up in RMS. */
  add(name: string, a: Act, b: Act, activation: FusedActivation): Act {
    const y = this.output(name, a.shape, Math.hypot(a.rms, b.rms), activation);
    this.op(Op.ADD, [a.index, b.index], [y.index], arithmeticOptions('AddOptions', activation));
    return y;
  }

  /** A VALID average pool over all of H and W; TFLM keeps the input's quantization. */
  globalAveragePool(name: string, x: Act): Act {
    const [, h, w, c] = x.shape as [number, number, number, number];
    const y = { ...x, index: this.activation(name, [1, 1, 1, c], x.scale, x.zeroPoint), shape: [1, 1, 1, c] };
    this.op(Op.AVERAGE_POOL_2D, [x.index], [y.index], pool2dOptions({ padding: Padding.VALID, stride: [1, 1], filter: [h, w] }));
    return y;
  }

  reshape(name: string, x: Act, shape: number[]): Act {
    const y = { ...x, index: this.activation(name, shape, x.scale, x.zeroPoint), shape };
    this.op(Op.RESHAPE, [x.index], [y.index]);
    return y;
  }

  /** SOFTMAX with the output quantization TFLite requires for int8 (1/256, -128). */
  softmax(name: string, x: Act): Act {
    const y = { index: this.activation(name, x.shape, 1 / 256, -128), shape: x.shape, scale: 1 / 256, zeroPoint: -128, rms: 0.5 };
    this.op(Op.SOFTMAX, [x.index], [y.index]);
    return y;
  }
}

function spatialOutput(hw: [number, number], kernel: [number, number], stride: [number, number], padding: number, dilation: [number, number] = [1, 1]): [number, number] {
  const span = (i: number) => (kernel[i]! - 1) * dilation[i]! + 1;
  return hw.map((n, i) => (padding === Padding.SAME ? Math.ceil(n / stride[i]!) : Math.floor((n - span(i)) / stride[i]!) + 1)) as [number, number];
}

/**
 * The DS-CNN keyword spotter of Arm's ML-KWS (small): a 49 x 10 MFCC input, a 10x4 stride-2 conv
 * to 64 channels, four depthwise-separable blocks (3x3 depthwise, 1x1 pointwise, each with RELU),
 * an average pool over the 25 x 5 left, FULLY_CONNECTED to 12 keywords and SOFTMAX.
 */
export function kwsDsCnn(seed = 21): ModelSpec {
  const b = new CalibratedSpecBuilder(seed);
  const input = b.input('mfcc', [1, 49, 10, 1], 0.3, 10);
  let x = b.conv('conv1', input, { filters: 64, kernel: [10, 4], stride: [2, 2], activation: Act.RELU });
  for (let block = 1; block <= 4; block++) {
    x = b.depthwise(`dw${block}`, x, { kernel: [3, 3], stride: [1, 1], activation: Act.RELU });
    x = b.conv(`pw${block}`, x, { filters: 64, kernel: [1, 1], stride: [1, 1], activation: Act.RELU });
  }
  const logits = b.fullyConnected('fc', b.globalAveragePool('avgpool', x), 12, Act.NONE);
  return b.spec([input.index], [b.softmax('probabilities', logits).index]);
}

/**
 * ResNet-8 as in MLPerf Tiny image classification: a 3x3 conv stem on a 32 x 32 x 3 image, three
 * stages of one residual block each (two 3x3 convs, ADD with the shortcut, RELU); the second and
 * third halve H and W with a stride-2 first conv and a 1x1 stride-2 projection on the shortcut.
 * Average pool, FULLY_CONNECTED to 10 classes, SOFTMAX.
 */
export function resnet8(seed = 22, widths: [number, number, number] = [16, 32, 64]): ModelSpec {
  const b = new CalibratedSpecBuilder(seed);
  const input = b.input('image', [1, 32, 32, 3], 0.02, -1);
  let x = b.conv('stem', input, { filters: widths[0], kernel: [3, 3], stride: [1, 1], activation: Act.RELU });
  widths.forEach((filters, stage) => {
    const stride: [number, number] = stage === 0 ? [1, 1] : [2, 2];
    const name = `stage${stage + 1}`;
    const branch = b.conv(`${name}_conv1`, x, { filters, kernel: [3, 3], stride, activation: Act.RELU });
    const residual = b.conv(`${name}_conv2`, branch, { filters, kernel: [3, 3], stride: [1, 1], activation: Act.NONE });
    const shortcut = stage === 0 ? x : b.conv(`${name}_projection`, x, { filters, kernel: [1, 1], stride, activation: Act.NONE });
    x = b.add(`${name}_add`, residual, shortcut, Act.RELU);
  });
  const logits = b.fullyConnected('fc', b.globalAveragePool('avgpool', x), 10, Act.NONE);
  return b.spec([input.index], [b.softmax('probabilities', logits).index]);
}

/**
 * A MobileNetV1-style stack (width 0.25-like) on a 64 x 64 x 3 image: a 3x3 stride-2 conv, then
 * five depthwise 3x3 + pointwise 1x1 pairs with RELU6, two of the depthwise ones stride 2; average
 * pool, RESHAPE to [1, C], FULLY_CONNECTED to 10 classes, SOFTMAX.
 */
export function mobilenetV1Stack(seed = 23): ModelSpec {
  const b = new CalibratedSpecBuilder(seed);
  const input = b.input('image', [1, 64, 64, 3], 0.0078125, 0);
  let x = b.conv('conv1', input, { filters: 8, kernel: [3, 3], stride: [2, 2], activation: Act.RELU6 });
  const pairs: { filters: number; stride: 1 | 2 }[] = [
    { filters: 16, stride: 1 },
    { filters: 32, stride: 2 },
    { filters: 32, stride: 1 },
    { filters: 64, stride: 2 },
    { filters: 64, stride: 1 },
  ];
  pairs.forEach(({ filters, stride }, i) => {
    x = b.depthwise(`dw${i + 1}`, x, { kernel: [3, 3], stride: [stride, stride], activation: Act.RELU6 });
    x = b.conv(`pw${i + 1}`, x, { filters, kernel: [1, 1], stride: [1, 1], activation: Act.RELU6 });
  });
  const pooled = b.globalAveragePool('avgpool', x);
  const flat = b.reshape('flatten', pooled, [1, pooled.shape[3]!]);
  const logits = b.fullyConnected('fc', flat, 10, Act.NONE);
  return b.spec([input.index], [b.softmax('probabilities', logits).index]);
}

/**
 * An FC autoencoder (the MLPerf Tiny anomaly-detection shape, narrowed): FULLY_CONNECTED
 * 64 → 32 → 16 → 32 → 64 with RELU between, float32 at the API through QUANTIZE and DEQUANTIZE
 * as a converter leaves a model with float input and output.
 */
export function fcAutoencoder(seed = 24): ModelSpec {
  const b = new CalibratedSpecBuilder(seed);
  const { floatIndex, quantized } = b.floatInput('features', [1, 64]);
  let x = quantized;
  for (const [i, units] of [32, 16, 32].entries()) x = b.fullyConnected(`fc${i + 1}`, x, units, Act.RELU);
  const reconstruction = b.fullyConnected('fc4', x, 64, Act.NONE);
  return b.spec([floatIndex], [b.floatOutput('reconstruction', reconstruction)]);
}

/**
 * MLPerf Tiny visual wake words: MobileNetV1 with width 0.25 on a 96 x 96 x 3 image, a 3x3 stride-2
 * conv to 8 channels, then depthwise 3x3 + pointwise pairs as (depthwise stride, pointwise
 * channels) (1,16) (2,32) (1,32) (2,64) (1,64) (2,128) 5x(1,128) (2,256) (1,256), RELU6 throughout;
 * average pool over the 3 x 3 left, FULLY_CONNECTED to 2 classes, SOFTMAX.
 */
export function vwwMobileNetV1(seed = 25): ModelSpec {
  const b = new CalibratedSpecBuilder(seed);
  const input = b.input('image', [1, 96, 96, 3], 0.0078125, 0);
  let x = b.conv('conv1', input, { filters: 8, kernel: [3, 3], stride: [2, 2], activation: Act.RELU6 });
  const pairs: [1 | 2, number][] = [[1, 16], [2, 32], [1, 32], [2, 64], [1, 64], [2, 128], [1, 128], [1, 128], [1, 128], [1, 128], [1, 128], [2, 256], [1, 256]];
  pairs.forEach(([stride, filters], i) => {
    x = b.depthwise(`dw${i + 1}`, x, { kernel: [3, 3], stride: [stride, stride], activation: Act.RELU6 });
    x = b.conv(`pw${i + 1}`, x, { filters, kernel: [1, 1], stride: [1, 1], activation: Act.RELU6 });
  });
  const pooled = b.globalAveragePool('avgpool', x);
  const flat = b.reshape('flatten', pooled, [1, pooled.shape[3]!]);
  return b.spec([input.index], [b.softmax('probabilities', b.fullyConnected('fc', flat, 2, Act.NONE)).index]);
}

/**
 * MLPerf Tiny anomaly detection: the FC autoencoder 640 → 128 → 128 → 128 → 128 → 8 → 128 → 128 →
 * 128 → 128 → 640, RELU except at the bottleneck and the output, int8 at the API.
 */
export function adAutoencoder(seed = 26): ModelSpec {
  const b = new CalibratedSpecBuilder(seed);
  const input = b.input('features', [1, 640], 0.05, 0);
  let x = input;
  const widths = [128, 128, 128, 128, 8, 128, 128, 128, 128];
  widths.forEach((units, i) => {
    x = b.fullyConnected(`fc${i + 1}`, x, units, units === 8 ? Act.NONE : Act.RELU);
  });
  return b.spec([input.index], [b.fullyConnected('output', x, 640, Act.NONE).index]);
}

/** The four MLPerf Tiny networks at their shapes (issue 11's yardstick set), by short name. */
export const MLPERF_TINY_NETWORKS = { kws: kwsDsCnn, vww: vwwMobileNetV1, ic: resnet8, ad: adAutoencoder } as const;
export type MlperfTinyNetwork = keyof typeof MLPERF_TINY_NETWORKS;

/** Writes `mlperf_<name>.tflite` into `dir` and returns its path. */
export function writeMlperfTinyNetwork(name: MlperfTinyNetwork, dir: string): string {
  const path = join(dir, `mlperf_${name}.tflite`);
  writeFileSync(path, buildTflite(MLPERF_TINY_NETWORKS[name]()));
  return path;
}

/** The four networks of the TFLite QEMU tests and the benchmarks, by file name. */
export const TFLITE_TEST_NETWORKS = { kws_dscnn: kwsDsCnn, resnet8, mobilenet_v1_stack: mobilenetV1Stack, fc_autoencoder: fcAutoencoder } as const;
export type TfliteTestNetwork = keyof typeof TFLITE_TEST_NETWORKS;

/** Writes `<name>.tflite` into `dir` and returns its path. */
export function writeTfliteTestNetwork(name: TfliteTestNetwork, dir: string): string {
  const path = join(dir, `${name}.tflite`);
  writeFileSync(path, buildTflite(TFLITE_TEST_NETWORKS[name]()));
  return path;
}
