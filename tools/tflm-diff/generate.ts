/**
 * Seeded random int8 TFLite models for the differential test against TFLM: one operator, or a
 * chain of two to four, over every operator tinygen imports and the options each one has
 * (padding, strides, dilation, depth multiplier, per-channel and per-tensor weights, fused
 * activations, broadcasting, fixed-scale outputs). Output scales are drawn around the range the
 * layer can reach, so results neither all saturate nor all round to zero. A small share of the
 * models breaks a TFLM rule on purpose (a wrong fixed output scale, mismatched concat
 * quantization): both sides should refuse those.
 */
import { buildTflite, conv2dOptions, depthwiseOptions, options, pool2dOptions, type ModelSpec, type OperatorSpec, type TensorSpec } from '../../test/helpers/tflite-builder.ts';
import { ActivationFunctionType as Act, BuiltinOperator as Op, Padding, TensorType } from '../../src/frontend/tflite/schema.ts';
import { Rng } from '../fuzz/random.ts';

/**
 * The operators the generator covers: every one tinygen's TFLite importer takes, except
 * RELU_N1_TO_1, for which TFLM has no kernel (it is still drawn as a fused activation).
 */
export const GENERATED_OPS = [
  'ADD',
  'AVERAGE_POOL_2D',
  'CONCATENATION',
  'CONV_2D',
  'DEPTHWISE_CONV_2D',
  'DEQUANTIZE',
  'FULLY_CONNECTED',
  'HARD_SWISH',
  'LEAKY_RELU',
  'LOGISTIC',
  'MAX_POOL_2D',
  'MEAN',
  'MUL',
  'PAD',
  'QUANTIZE',
  'RELU',
  'RELU6',
  'RESHAPE',
  'SOFTMAX',
  'STRIDED_SLICE',
  'SUB',
  'TANH',
  'TRANSPOSE',
  'TRANSPOSE_CONV',
] as const;
export type GeneratedOp = (typeof GENERATED_OPS)[number];

/** An int8 (or, for a QUANTIZE input, float32) activation of the model being drawn. */
interface Activation {
  index: number;
  shape: number[];
  scale: number;
  zeroPoint: number;
  float?: boolean;
}

export interface GeneratedCase {
  /** `<seed>-<index>`, unique per run. */
  id: string;
  /** The operators in the order they run. */
  ops: GeneratedOp[];
  model: Uint8Array;
  /** Each graph input's element type and shape, for drawing inputs. */
  inputs: { type: 'int8' | 'float32'; shape: number[]; scale: number }[];
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

class Draft {
  readonly tensors: TensorSpec[] = [];
  readonly operators: OperatorSpec[] = [];
  readonly inputs: number[] = [];
  readonly ops: GeneratedOp[] = [];

  constructor(readonly rng: Rng) {}

  private add(spec: TensorSpec): number {
    this.tensors.push(spec);
    return this.tensors.length - 1;
  }

  /** A scale between about 0.002 and 0.5, log-uniform. */
  scale(): number {
    return Math.fround(10 ** (-2.7 + this.rng.float() * 2.4));
  }

  zeroPoint(): number {
    const r = this.rng.float();
    if (r < 0.3) return 0;
    if (r < 0.45) return -128;
    return this.rng.int(201) - 100;
  }

  activation(shape: number[], scale = this.scale(), zeroPoint = this.zeroPoint()): Activation {
    const index = this.add({ name: `t${this.tensors.length}`, type: TensorType.INT8, shape, scale: [scale], zeroPoint: [zeroPoint] });
    return { index, shape, scale, zeroPoint };
  }

  graphInput(shape: number[]): Activation {
    const x = this.activation(shape);
    this.inputs.push(x.index);
    return x;
  }

  floatInput(shape: number[], scale: number): Activation {
    const index = this.add({ name: `t${this.tensors.length}`, type: TensorType.FLOAT32, shape });
    this.inputs.push(index);
    return { index, shape, scale, zeroPoint: 0, float: true };
  }

  /** A constant int8 tensor with random values and one quantization. */
  constant(shape: number[], scale = this.scale(), zeroPoint = this.zeroPoint()): Activation {
    const data = Int8Array.from({ length: count(shape) }, () => this.rng.int(256) - 128);
    const index = this.add({ name: `c${this.tensors.length}`, type: TensorType.INT8, shape, data, scale: [scale], zeroPoint: [zeroPoint] });
    return { index, shape, scale, zeroPoint };
  }

  /** An operand that is either another graph input or a constant. */
  operand(shape: number[], scale?: number, zeroPoint?: number): Activation {
    if (this.rng.chance(0.6)) {
      const x = this.activation(shape, scale, zeroPoint);
      this.inputs.push(x.index);
      return x;
    }
    return this.constant(shape, scale, zeroPoint);
  }

  int32(values: number[], shape = [values.length]): number {
    return this.add({ name: `c${this.tensors.length}`, type: TensorType.INT32, shape, data: Int32Array.from(values) });
  }

  /** int8 weights in [-127, 127] with per-channel (along `axis`) or per-tensor symmetric scales. */
  weights(shape: number[], axis: number, perChannel: boolean): { index: number; scales: number[] } {
    const data = Int8Array.from({ length: count(shape) }, () => this.rng.int(255) - 127);
    const channels = perChannel ? shape[axis]! : 1;
    const scales = Array.from({ length: channels }, () => Math.fround(0.001 + this.rng.float() * 0.02));
    const index = this.add({ name: `w${this.tensors.length}`, type: TensorType.INT8, shape, data, scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension: axis });
    return { index, scales };
  }

  /**
   * An int32 bias at scale s_x s_w per channel, or -1 (no bias) now and then when `optional`.
   * TFLM's depthwise kernel checks the bias size in debug builds, so it always gets one.
   */
  bias(channels: number, inputScale: number, weightScales: number[], optional = true): number {
    if (optional && this.rng.chance(0.1)) return -1;
    const range = this.rng.pick([100, 2000, 40_000, 40_000, 2 ** 20, 2 ** 30]);
    const data = Int32Array.from({ length: channels }, () => this.rng.int(2 * range + 1) - range);
    const scale = Array.from({ length: channels }, (_, c) => Math.fround(inputScale * weightScales[weightScales.length === 1 ? 0 : c]!));
    return this.add({ name: `b${this.tensors.length}`, type: TensorType.INT32, shape: [channels], data, scale, zeroPoint: scale.map(() => 0) });
  }

  /**
   * An output scale about right for a sum of `terms` products of int8 input (scale s_x) and
   * weights of scale s_w: the sum's spread, times a random factor so some outputs saturate.
   */
  sumScale(inputScale: number, weightScale: number, terms: number): number {
    const spread = inputScale * 70 * weightScale * 70 * Math.sqrt(terms);
    return Math.fround((3 * spread) / 127 * 10 ** (-0.5 + this.rng.float()));
  }

  fusedActivation(): number {
    return this.rng.pick([Act.NONE, Act.NONE, Act.NONE, Act.RELU, Act.RELU6, Act.RELU_N1_TO_1]);
  }

  op(name: GeneratedOp, code: number, inputs: number[], outputs: number[], opOptions?: OperatorSpec['options'], fusedActivation?: number): void {
    this.ops.push(name);
    this.operators.push({ code, inputs, outputs, ...(opOptions ? { options: opOptions } : {}), ...(fusedActivation !== undefined ? { fusedActivation } : {}) });
  }

  spec(outputs: number[]): ModelSpec {
    return { tensors: this.tensors, operators: this.operators, inputs: this.inputs, outputs };
  }
}

/** The output extent of a SAME or VALID window along one axis. */
function windowOut(size: number, kernel: number, stride: number, dilation: number, padding: number): number {
  const effective = (kernel - 1) * dilation + 1;
  return padding === Padding.SAME ? Math.ceil(size / stride) : Math.floor((size - effective) / stride) + 1;
}

interface Window {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  padding: number;
  out: [number, number];
}

/** A window over [H, W] whose output is at least 1x1. */
function drawWindow(d: Draft, h: number, w: number, dilated: boolean): Window {
  for (;;) {
    const kernel: [number, number] = [d.rng.pick([1, 2, 3, 3, 5]), d.rng.pick([1, 2, 3, 3, 5])];
    const stride: [number, number] = [d.rng.pick([1, 1, 2, 3]), d.rng.pick([1, 1, 2, 3])];
    const dilation: [number, number] = dilated && d.rng.chance(0.2) ? [d.rng.pick([1, 2]), d.rng.pick([1, 2, 3])] : [1, 1];
    const padding = d.rng.chance(0.5) ? Padding.SAME : Padding.VALID;
    const out: [number, number] = [windowOut(h, kernel[0], stride[0], dilation[0], padding), windowOut(w, kernel[1], stride[1], dilation[1], padding)];
    if (out[0] >= 1 && out[1] >= 1) return { kernel, stride, dilation, padding, out };
  }
}

type Generator = (d: Draft, x: Activation) => Activation;

interface OpGenerator {
  applies: (x: Activation) => boolean;
  build: Generator;
}

const is4d = (x: Activation) => x.shape.length === 4;
/** Any tensor with at least one axis (a MEAN over every axis can leave none). */
const anyShape = (x: Activation) => x.shape.length >= 1;

function conv2d(d: Draft, x: Activation): Activation {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const win = drawWindow(d, h, w, true);
  const outC = 1 + d.rng.int(8);
  const weights = d.weights([outC, ...win.kernel, c], 0, d.rng.chance(0.7));
  const bias = d.bias(outC, x.scale, weights.scales);
  const y = d.activation([n, ...win.out, outC], d.sumScale(x.scale, weights.scales[0]!, win.kernel[0] * win.kernel[1] * c));
  d.op('CONV_2D', Op.CONV_2D, [x.index, weights.index, bias], [y.index], conv2dOptions({ padding: win.padding, stride: win.stride, dilation: win.dilation, activation: d.fusedActivation() }));
  return y;
}

function depthwise(d: Draft, x: Activation): Activation {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const win = drawWindow(d, h, w, true);
  const multiplier = d.rng.pick([1, 1, 1, 2, 3]);
  const outC = c * multiplier;
  const weights = d.weights([1, ...win.kernel, outC], 3, d.rng.chance(0.7));
  const bias = d.bias(outC, x.scale, weights.scales, false);
  const y = d.activation([n, ...win.out, outC], d.sumScale(x.scale, weights.scales[0]!, win.kernel[0] * win.kernel[1]));
  d.op('DEPTHWISE_CONV_2D', Op.DEPTHWISE_CONV_2D, [x.index, weights.index, bias], [y.index], depthwiseOptions({ padding: win.padding, stride: win.stride, dilation: win.dilation, multiplier, activation: d.fusedActivation() }));
  return y;
}

function fullyConnected(d: Draft, x: Activation): Activation {
  const depth = x.shape[x.shape.length - 1]!;
  const rows = count(x.shape) / depth;
  const units = 1 + d.rng.int(10);
  const weights = d.weights([units, depth], 0, d.rng.chance(0.3));
  const bias = d.bias(units, x.scale, weights.scales);
  const keepNumDims = x.shape.length > 2 && d.rng.chance(0.3);
  const y = d.activation(keepNumDims ? [...x.shape.slice(0, -1), units] : [rows, units], d.sumScale(x.scale, weights.scales[0]!, depth));
  const fcOptions = options('FullyConnectedOptions', { fusedActivationFunction: d.fusedActivation(), keepNumDims });
  d.op('FULLY_CONNECTED', Op.FULLY_CONNECTED, [x.index, weights.index, bias], [y.index], fcOptions);
  return y;
}

function transposeConv(d: Draft, x: Activation): Activation {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const kernel: [number, number] = [d.rng.pick([1, 2, 3, 4]), d.rng.pick([1, 2, 3, 4])];
  const stride: [number, number] = [d.rng.pick([1, 2, 2, 3]), d.rng.pick([1, 2, 2, 3])];
  const padding = d.rng.chance(0.5) ? Padding.SAME : Padding.VALID;
  const out = [0, 1].map((a) => (padding === Padding.SAME ? [h, w][a]! * stride[a]! : ([h, w][a]! - 1) * stride[a]! + kernel[a]!)) as [number, number];
  const outC = 1 + d.rng.int(6);
  const weights = d.weights([outC, ...kernel, c], 0, d.rng.chance(0.7));
  const bias = d.bias(outC, x.scale, weights.scales);
  const y = d.activation([n, ...out, outC], d.sumScale(x.scale, weights.scales[0]!, Math.max(1, (kernel[0] * kernel[1] * c) / (stride[0] * stride[1]))));
  const shape = d.int32([n, ...out, outC]);
  const inputs = bias >= 0 ? [shape, weights.index, x.index, bias] : [shape, weights.index, x.index];
  const fused = d.rng.chance(0.2) ? d.fusedActivation() : Act.NONE;
  d.op('TRANSPOSE_CONV', Op.TRANSPOSE_CONV, inputs, [y.index], options('TransposeConvOptions', { padding, strideH: stride[0], strideW: stride[1], fusedActivationFunction: fused }));
  return y;
}

function pool(kind: 'AVERAGE_POOL_2D' | 'MAX_POOL_2D'): Generator {
  return (d, x) => {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const win: Window = d.rng.chance(0.15) ? { kernel: [h, w], stride: [1, 1], dilation: [1, 1], padding: Padding.VALID, out: [1, 1] } : drawWindow(d, h, w, false);
    const same = d.rng.chance(0.9);
    const y = d.activation([n, ...win.out, c], same ? x.scale : d.scale(), same ? x.zeroPoint : d.zeroPoint());
    d.op(kind, Op[kind], [x.index], [y.index], pool2dOptions({ padding: win.padding, stride: win.stride, filter: win.kernel, activation: d.fusedActivation() }));
    return y;
  };
}

function mean(d: Draft, x: Activation): Activation {
  const rank = x.shape.length;
  // NHWC: the spatial means Keras writes, in either order or from the end, and others; any
  // other rank: a random set of axes, some written from the end.
  const spatial = [[1, 2], [1, 2], [2, 1], [1], [2], [3], [1, 2, 3], [0, 1, 2, 3], [-3, -2]];
  const axes = rank === 4 && d.rng.chance(0.8) ? d.rng.pick(spatial) : x.shape.map((_, a) => a).filter(() => d.rng.chance(0.5)).map((a) => (d.rng.chance(0.3) ? a - rank : a));
  if (axes.length === 0) axes.push(d.rng.int(rank));
  const keepDims = d.rng.chance(0.5);
  const reduced = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  let shape = keepDims ? x.shape.map((s, i) => (reduced.has(i) ? 1 : s)) : x.shape.filter((_, i) => !reduced.has(i));
  if (shape.length === 0 && d.rng.chance(0.5)) shape = [1];
  const axisTensor = d.int32(axes);
  const same = d.rng.chance(0.4);
  const y = d.activation(shape, same ? x.scale : d.scale(), same ? x.zeroPoint : d.zeroPoint());
  d.op('MEAN', Op.MEAN, [x.index, axisTensor], [y.index], options('ReducerOptions', { keepDims }));
  return y;
}

/** A shape `shape` broadcasts against: itself, or with some axes cut to 1, or its trailing axes. */
function broadcastShape(d: Draft, shape: number[]): number[] {
  const r = d.rng.float();
  if (r < 0.55) return shape;
  if (r < 0.85) return shape.map((s) => (d.rng.chance(0.5) ? 1 : s));
  return shape.slice(d.rng.int(shape.length));
}

function binary(kind: 'ADD' | 'SUB' | 'MUL'): Generator {
  return (d, x) => {
    const other = d.rng.chance(0.05) ? x : d.operand(broadcastShape(d, x.shape));
    const operands = d.rng.chance(0.5) ? [x, other] : [other, x];
    let yScale = d.scale();
    if (kind === 'MUL') yScale = Math.fround(x.scale * other.scale * 128 * 10 ** (-0.7 + d.rng.float()));
    else if (d.rng.chance(0.5)) yScale = Math.fround(Math.max(x.scale, other.scale) * (1 + d.rng.float()));
    const y = d.activation(x.shape, yScale);
    const optionsName = kind === 'ADD' ? 'AddOptions' : kind === 'SUB' ? 'SubOptions' : 'MulOptions';
    d.op(kind, Op[kind], operands.map((o) => o.index), [y.index], options(optionsName, { fusedActivationFunction: d.fusedActivation() }));
    return y;
  };
}

function concatenation(d: Draft, x: Activation): Activation {
  const rank = x.shape.length;
  const axis = d.rng.int(rank);
  const matched = d.rng.chance(0.9);
  const parts = [x];
  for (let i = 0, extra = 1 + d.rng.int(3); i < extra; i++) {
    const shape = x.shape.map((s, a) => (a === axis ? 1 + d.rng.int(3) : s));
    parts.push(matched ? d.operand(shape, x.scale, x.zeroPoint) : d.operand(shape));
  }
  if (d.rng.chance(0.5)) parts.reverse();
  const shape = x.shape.map((s, a) => (a === axis ? parts.reduce((sum, p) => sum + p.shape[a]!, 0) : s));
  const y = matched ? d.activation(shape, x.scale, x.zeroPoint) : d.activation(shape);
  const written = d.rng.chance(0.3) ? axis - rank : axis;
  d.op('CONCATENATION', Op.CONCATENATION, parts.map((p) => p.index), [y.index], options('ConcatenationOptions', { axis: written, fusedActivationFunction: 0 }));
  return y;
}

function pad(d: Draft, x: Activation): Activation {
  const rank = x.shape.length;
  const pads = x.shape.map((_, a) => (rank === 4 && a === 0 ? [0, 0] : [d.rng.int(3), d.rng.int(3)]));
  const paddings = d.int32(pads.flat(), [rank, 2]);
  const y = d.activation(x.shape.map((s, a) => s + pads[a]![0]! + pads[a]![1]!), x.scale, x.zeroPoint);
  d.op('PAD', Op.PAD, [x.index, paddings], [y.index]);
  return y;
}

function reshape(d: Draft, x: Activation): Activation {
  const n = count(x.shape);
  const divisors = Array.from({ length: n }, (_, i) => i + 1).filter((k) => n % k === 0);
  const a = d.rng.pick(divisors);
  const target = d.rng.pick([[1, n], [a, n / a], [1, a, n / a], [n], [1, 1, a, n / a]]);
  const written = d.rng.chance(0.3) ? target.map((s, i) => (i === target.length - 1 ? -1 : s)) : target;
  const shapeTensor = d.int32(written);
  const y = d.activation(target, x.scale, x.zeroPoint);
  d.op('RESHAPE', Op.RESHAPE, [x.index, shapeTensor], [y.index]);
  return y;
}

function stridedSlice(d: Draft, x: Activation): Activation {
  const begin: number[] = [];
  const end: number[] = [];
  const strides: number[] = [];
  const out: number[] = [];
  let beginMask = 0;
  let endMask = 0;
  let shrinkAxisMask = 0;
  x.shape.forEach((size, a) => {
    let b: number;
    let e: number;
    let s: number;
    if (d.rng.chance(0.1)) {
      // Shrunk: one index, the axis dropped from the output.
      shrinkAxisMask |= 1 << a;
      b = d.rng.int(size);
      begin.push(d.rng.chance(0.3) ? b - size : b);
      end.push(b + 1);
      strides.push(1);
      return;
    }
    if (d.rng.chance(0.25)) {
      // Backwards: from b down to just after e; e = -1 is written as the end mask.
      s = -d.rng.pick([1, 1, 2, 3]);
      b = d.rng.int(size);
      e = d.rng.int(b + 1) - 1;
      if (d.rng.chance(0.2)) {
        beginMask |= 1 << a;
        b = size - 1;
      }
      if (e === -1) endMask |= 1 << a;
      out.push(Math.ceil((b - e) / -s));
      begin.push(d.rng.chance(0.2) ? b - size : b);
      end.push(e === -1 ? 0 : d.rng.chance(0.2) ? e - size : e);
      strides.push(s);
      return;
    }
    b = d.rng.int(size);
    e = b + 1 + d.rng.int(size - b);
    s = d.rng.pick([1, 1, 2, 3]);
    if (d.rng.chance(0.2)) {
      beginMask |= 1 << a;
      b = 0;
    }
    if (d.rng.chance(0.2)) {
      endMask |= 1 << a;
      e = size;
    }
    // Negative indices count from the end, as TFLite allows.
    begin.push(d.rng.chance(0.2) ? b - size : b);
    end.push(d.rng.chance(0.2) && e < size ? e - size : e);
    strides.push(s);
    out.push(Math.ceil((e - b) / s));
  });
  const y = d.activation(out, x.scale, x.zeroPoint);
  const inputs = [x.index, d.int32(begin), d.int32(end), d.int32(strides)];
  d.op('STRIDED_SLICE', Op.STRIDED_SLICE, inputs, [y.index], options('StridedSliceOptions', { beginMask, endMask, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask, offset: false }));
  return y;
}

function transpose(d: Draft, x: Activation): Activation {
  const perm = x.shape.map((_, i) => i);
  for (let i = perm.length - 1; i > 0; i--) {
    const j = d.rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const y = d.activation(perm.map((p) => x.shape[p]!), x.scale, x.zeroPoint);
  d.op('TRANSPOSE', Op.TRANSPOSE, [x.index, d.int32(perm)], [y.index]);
  return y;
}

/**
 * An output with TFLM's fixed quantization, or now and then another: a random one, or the right
 * zero point with another scale (TFLM checks only the zero point of some).
 */
function fixedOutput(d: Draft, shape: number[], scale: number, zeroPoint: number): Activation {
  const r = d.rng.float();
  if (r < 0.03) return d.activation(shape);
  if (r < 0.06) return d.activation(shape, d.scale(), zeroPoint);
  return d.activation(shape, scale, zeroPoint);
}

function softmax(d: Draft, x: Activation): Activation {
  const beta = d.rng.pick([1, 1, 0.5, 2, Math.fround(0.1 + d.rng.float() * 3)]);
  const y = fixedOutput(d, x.shape, 1 / 256, -128);
  d.op('SOFTMAX', Op.SOFTMAX, [x.index], [y.index], options('SoftmaxOptions', { beta }));
  return y;
}

function fixedActivation(kind: 'LOGISTIC' | 'TANH'): Generator {
  return (d, x) => {
    const y = kind === 'LOGISTIC' ? fixedOutput(d, x.shape, 1 / 256, -128) : fixedOutput(d, x.shape, 1 / 128, 0);
    d.op(kind, Op[kind], [x.index], [y.index]);
    return y;
  };
}

/** RELU-like ops: the output quantized as the input half the time, freshly otherwise. */
function requantizing(kind: 'RELU' | 'RELU6' | 'HARD_SWISH'): Generator {
  return (d, x) => {
    const same = kind !== 'HARD_SWISH' && d.rng.chance(0.5);
    const y = d.activation(x.shape, same ? x.scale : d.scale(), same ? x.zeroPoint : d.zeroPoint());
    d.op(kind, Op[kind], [x.index], [y.index]);
    return y;
  };
}

function leakyRelu(d: Draft, x: Activation): Activation {
  const alpha = Math.fround(d.rng.pick([0.1, 0.2, 0.01, 0.3 + d.rng.float(), 1.5]));
  const y = d.activation(x.shape, d.rng.chance(0.3) ? x.scale : d.scale(), d.zeroPoint());
  d.op('LEAKY_RELU', Op.LEAKY_RELU, [x.index], [y.index], options('LeakyReluOptions', { alpha }));
  return y;
}

function quantize(d: Draft, x: Activation): Activation {
  const y = d.activation(x.shape);
  d.op('QUANTIZE', Op.QUANTIZE, [x.index], [y.index]);
  return y;
}

function dequantize(d: Draft, x: Activation): Activation {
  const index = d.tensors.length;
  d.tensors.push({ name: `t${index}`, type: TensorType.FLOAT32, shape: x.shape });
  d.op('DEQUANTIZE', Op.DEQUANTIZE, [x.index], [index]);
  return { index, shape: x.shape, scale: 1, zeroPoint: 0, float: true };
}

const GENERATORS: Record<GeneratedOp, OpGenerator> = {
  ADD: { applies: anyShape, build: binary('ADD') },
  AVERAGE_POOL_2D: { applies: is4d, build: pool('AVERAGE_POOL_2D') },
  CONCATENATION: { applies: anyShape, build: concatenation },
  CONV_2D: { applies: is4d, build: conv2d },
  DEPTHWISE_CONV_2D: { applies: is4d, build: depthwise },
  DEQUANTIZE: { applies: anyShape, build: dequantize },
  FULLY_CONNECTED: { applies: anyShape, build: fullyConnected },
  HARD_SWISH: { applies: anyShape, build: requantizing('HARD_SWISH') },
  LEAKY_RELU: { applies: anyShape, build: leakyRelu },
  LOGISTIC: { applies: anyShape, build: fixedActivation('LOGISTIC') },
  MAX_POOL_2D: { applies: is4d, build: pool('MAX_POOL_2D') },
  MEAN: { applies: anyShape, build: mean },
  MUL: { applies: anyShape, build: binary('MUL') },
  PAD: { applies: (x) => x.shape.length >= 1 && x.shape.length <= 4, build: pad },
  QUANTIZE: { applies: anyShape, build: quantize },
  RELU: { applies: anyShape, build: requantizing('RELU') },
  RELU6: { applies: anyShape, build: requantizing('RELU6') },
  RESHAPE: { applies: anyShape, build: reshape },
  SOFTMAX: { applies: anyShape, build: softmax },
  STRIDED_SLICE: { applies: (x) => x.shape.length >= 1 && x.shape.length <= 4, build: stridedSlice },
  SUB: { applies: anyShape, build: binary('SUB') },
  TANH: { applies: anyShape, build: fixedActivation('TANH') },
  TRANSPOSE: { applies: (x) => x.shape.length >= 1 && x.shape.length <= 4, build: transpose },
  TRANSPOSE_CONV: { applies: is4d, build: transposeConv },
};

/**
 * A model input: NHWC most of the time (now and then larger, so the kernels' blocked paths run),
 * otherwise of rank 1 to 5 for the operators that take any shape.
 */
function drawInputShape(d: Draft, op: GeneratedOp | undefined): number[] {
  const spatial = op === undefined ? d.rng.chance(0.75) : !GENERATORS[op].applies({ index: 0, shape: [1, 1], scale: 1, zeroPoint: 0 }) || d.rng.chance(0.75);
  if (spatial) {
    if (d.rng.chance(0.15)) return [1, 4 + d.rng.int(13), 4 + d.rng.int(13), 8 + d.rng.int(33)];
    return [d.rng.chance(0.05) ? 2 : 1, 1 + d.rng.int(8), 1 + d.rng.int(8), 1 + d.rng.int(8)];
  }
  const rank = d.rng.pick([1, 2, 2, 2, 3, 3, 5]);
  return Array.from({ length: rank }, (_, a) => (a === rank - 1 ? 1 + d.rng.int(rank <= 2 ? 64 : 8) : 1 + d.rng.int(rank === 5 ? 3 : 4)));
}

/**
 * Case `index` of run `seed`: even indices are one operator (the operators in turn), odd ones a
 * chain of two to four drawn among those that apply to the shape at hand. DEQUANTIZE only ends a
 * chain; QUANTIZE sometimes starts one from a float32 input.
 */
export function generateCase(seed: number, index: number): GeneratedCase {
  const d = new Draft(new Rng(seed * 1_000_003 + index * 7919 + 1));
  const single = index % 2 === 0 ? GENERATED_OPS[(index / 2) % GENERATED_OPS.length]! : undefined;
  const length = single ? 1 : 2 + d.rng.int(3);
  const shape = drawInputShape(d, single);
  let x: Activation;
  if ((single === 'QUANTIZE' || (!single && d.rng.chance(0.1))) && d.rng.chance(0.5)) {
    // float32 → int8 QUANTIZE at the graph input.
    const f = d.floatInput(shape, d.scale());
    const y = d.activation(shape, f.scale);
    d.op('QUANTIZE', Op.QUANTIZE, [f.index], [y.index]);
    x = y;
  } else {
    x = d.graphInput(shape);
  }
  while (d.ops.length < length) {
    const last = d.ops.length === length - 1;
    const choices = single ? [single] : GENERATED_OPS.filter((op) => GENERATORS[op].applies(x) && (op !== 'DEQUANTIZE' || last));
    // A MEAN over every axis can leave a scalar that nothing else takes: the chain ends there.
    if (choices.length === 0) break;
    const op = d.rng.pick(choices);
    x = GENERATORS[op].build(d, x);
  }
  const inputs = d.inputs.map((i) => {
    const t = d.tensors[i]!;
    return { type: t.type === TensorType.FLOAT32 ? ('float32' as const) : ('int8' as const), shape: t.shape, scale: t.scale?.[0] ?? 0 };
  });
  // A float32 input's scale is that of the QUANTIZE after it, so its values span int8's range.
  inputs.forEach((input, i) => {
    if (input.type === 'float32') input.scale = d.tensors[d.operators.find((o) => o.inputs[0] === d.inputs[i])!.outputs[0]!]!.scale![0]!;
  });
  return { id: `${seed}-${index}`, ops: d.ops, model: buildTflite(d.spec([x.index])), inputs };
}

/** `records` input records for a case: every graph input's bytes, in order, per record. */
export function drawInputs(c: GeneratedCase, seed: number, records: number): Uint8Array {
  const rng = new Rng(seed * 7 + 3);
  const parts: Uint8Array[] = [];
  for (let r = 0; r < records; r++) {
    for (const input of c.inputs) {
      const n = count(input.shape);
      if (input.type === 'int8') {
        // Mostly uniform; the extremes now and then, since saturation bugs live there.
        parts.push(Uint8Array.from({ length: n }, () => (rng.chance(0.1) ? rng.pick([0x80, 0x7f, 0x00]) : rng.int(256))));
      } else {
        const values = Float32Array.from({ length: n }, () => (rng.float() * 2 - 1) * 140 * input.scale);
        parts.push(new Uint8Array(values.buffer));
      }
    }
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
