/**
 * Seeded random int8 and 16x8 TFLite models for the differential test against TFLM: one operator,
 * or a chain of two to four, over every operator tinygen imports and the options each one has
 * (padding, strides, dilation, depth multiplier, per-channel and per-tensor weights, fused
 * activations, broadcasting, fixed-scale outputs). Output scales are drawn around the range the
 * layer can reach, so results neither all saturate nor all round to zero. A small share of the
 * models breaks a TFLM rule on purpose (a wrong fixed output quantization, an int8 concatenation
 * or pool quantized unlike its output): where TFLM refuses, tinygen should too, and where TFLM's
 * prepare lets it through (TANH's output, LOGISTIC's scale), both should run.
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

/** The activation types: int8, or int16 in 16x8 models (int8 weights, int64 biases). */
export type Quantized = 'int8' | 'int16';

/** An activation of the model being drawn: quantized, or float32 before a QUANTIZE / after a DEQUANTIZE. */
interface Activation {
  index: number;
  dtype: Quantized | 'float32';
  shape: number[];
  scale: number;
  zeroPoint: number;
}

/** Per type: the largest value, and the spread (standard deviation) of uniform random values. */
const RANGE: Record<Quantized, { max: number; spread: number }> = { int8: { max: 127, spread: 74 }, int16: { max: 32767, spread: 18918 } };

export interface GeneratedCase {
  /** `<seed>-<index>`, unique per run. */
  id: string;
  /** The operators in the order they run, each with its input type when that is not int8 ("CONV_2D int16"). */
  ops: string[];
  model: Uint8Array;
  /** What `model` was built from, to rebuild it with other outputs when a case needs a closer look. */
  spec: ModelSpec;
  /** Each graph input's element type and shape, for drawing inputs, and for float32 the real range to draw from. */
  inputs: { type: Quantized | 'float32'; shape: number[]; range: number }[];
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

class Draft {
  readonly tensors: TensorSpec[] = [];
  readonly operators: OperatorSpec[] = [];
  readonly inputs: number[] = [];
  readonly ops: string[] = [];

  constructor(readonly rng: Rng) {}

  private add(spec: TensorSpec): number {
    this.tensors.push(spec);
    return this.tensors.length - 1;
  }

  /**
   * Log-uniform: about 0.002 to 0.5 for int8, 10^-5 to 10^-2 for int16; one in twenty anywhere
   * from 10^-6 to 100, for multipliers with extreme shifts.
   */
  scale(dtype: Quantized): number {
    if (this.rng.chance(0.05)) return Math.fround(10 ** (-6 + this.rng.float() * 8));
    return dtype === 'int8' ? Math.fround(10 ** (-2.7 + this.rng.float() * 2.4)) : Math.fround(10 ** (-5 + this.rng.float() * 3));
  }

  /** int8: often 0 or -128, else anywhere; int16: 0, which TFLM's 16x8 kernels require. */
  zeroPoint(dtype: Quantized): number {
    if (dtype === 'int16') return 0;
    const r = this.rng.float();
    if (r < 0.3) return 0;
    if (r < 0.45) return -128;
    return this.rng.int(201) - 100;
  }

  activation(dtype: Quantized, shape: number[], scale = this.scale(dtype), zeroPoint = this.zeroPoint(dtype)): Activation {
    const type = dtype === 'int8' ? TensorType.INT8 : TensorType.INT16;
    const index = this.add({ name: `t${this.tensors.length}`, type, shape, scale: [scale], zeroPoint: [zeroPoint] });
    return { index, dtype, shape, scale, zeroPoint };
  }

  graphInput(dtype: Quantized, shape: number[]): Activation {
    const x = this.activation(dtype, shape);
    this.inputs.push(x.index);
    return x;
  }

  floatInput(shape: number[]): Activation {
    const index = this.add({ name: `t${this.tensors.length}`, type: TensorType.FLOAT32, shape });
    this.inputs.push(index);
    return { index, dtype: 'float32', shape, scale: 1, zeroPoint: 0 };
  }

  /** A constant tensor with random values over the whole type and one quantization. */
  constant(dtype: Quantized, shape: number[], scale = this.scale(dtype), zeroPoint = this.zeroPoint(dtype)): Activation {
    const max = RANGE[dtype].max;
    const values = Array.from({ length: count(shape) }, () => this.rng.int(2 * max + 2) - max - 1);
    const data = dtype === 'int8' ? Int8Array.from(values) : Int16Array.from(values);
    const type = dtype === 'int8' ? TensorType.INT8 : TensorType.INT16;
    const index = this.add({ name: `c${this.tensors.length}`, type, shape, data, scale: [scale], zeroPoint: [zeroPoint] });
    return { index, dtype, shape, scale, zeroPoint };
  }

  /** An operand that is either another graph input or a constant. */
  operand(dtype: Quantized, shape: number[], scale?: number, zeroPoint?: number): Activation {
    if (this.rng.chance(0.6)) {
      const x = this.activation(dtype, shape, scale, zeroPoint);
      this.inputs.push(x.index);
      return x;
    }
    return this.constant(dtype, shape, scale, zeroPoint);
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
   * A bias at scale s_x s_w per channel: int32 for int8 layers; int64 for 16x8 ones, or int32
   * where TFLM also takes that (`int32`). Now and then none (-1) when `optional`: TFLM's
   * depthwise kernel checks the bias size in debug builds, so it always gets one.
   */
  bias(x: Activation, channels: number, weightScales: number[], o: { optional?: boolean; int32?: boolean } = {}): number {
    if ((o.optional ?? true) && this.rng.chance(0.1)) return -1;
    const wide = x.dtype === 'int16' && !(o.int32 && this.rng.chance(0.2));
    const range = wide ? this.rng.pick([1000, 2 ** 20, 2 ** 30, 2 ** 36]) : this.rng.pick([100, 2000, 40_000, 40_000, 2 ** 20, 2 ** 30]);
    const values = Array.from({ length: channels }, () => Math.floor((this.rng.float() * 2 - 1) * range));
    const data = wide ? BigInt64Array.from(values.map(BigInt)) : Int32Array.from(values);
    const scale = Array.from({ length: channels }, (_, c) => Math.fround(x.scale * weightScales[weightScales.length === 1 ? 0 : c]!));
    return this.add({ name: `b${this.tensors.length}`, type: wide ? TensorType.INT64 : TensorType.INT32, shape: [channels], data, scale, zeroPoint: scale.map(() => 0) });
  }

  /**
   * An output scale about right for a sum of `terms` products of input x and int8 weights of
   * scale s_w: the sum's spread, times a random factor so some outputs saturate.
   */
  sumScale(x: Activation, weightScale: number, terms: number): number {
    const { max, spread } = RANGE[x.dtype as Quantized];
    const sum = x.scale * spread * weightScale * 73 * Math.sqrt(terms);
    return Math.fround(((3 * sum) / max) * 10 ** (-0.5 + this.rng.float()));
  }

  fusedActivation(): number {
    return this.rng.pick([Act.NONE, Act.NONE, Act.NONE, Act.RELU, Act.RELU6, Act.RELU_N1_TO_1]);
  }

  /** Adds operator `name` reading x first; its label carries x's type when that is not int8. */
  op(name: GeneratedOp, x: Activation, code: number, inputs: number[], outputs: number[], opOptions?: OperatorSpec['options'], fusedActivation?: number): void {
    this.ops.push(x.dtype === 'int8' ? name : `${name} ${x.dtype}`);
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

/** x's type, which every operator but DEQUANTIZE keeps. */
function quantized(x: Activation): Quantized {
  if (x.dtype === 'float32') throw new Error('a float32 activation reached a quantized operator');
  return x.dtype;
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
  const bias = d.bias(x, outC, weights.scales, { int32: true });
  const y = d.activation(quantized(x), [n, ...win.out, outC], d.sumScale(x, weights.scales[0]!, win.kernel[0] * win.kernel[1] * c));
  d.op('CONV_2D', x, Op.CONV_2D, [x.index, weights.index, bias], [y.index], conv2dOptions({ padding: win.padding, stride: win.stride, dilation: win.dilation, activation: d.fusedActivation() }));
  return y;
}

function depthwise(d: Draft, x: Activation): Activation {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const win = drawWindow(d, h, w, true);
  const multiplier = d.rng.pick([1, 1, 1, 2, 3]);
  const outC = c * multiplier;
  const weights = d.weights([1, ...win.kernel, outC], 3, d.rng.chance(0.7));
  const bias = d.bias(x, outC, weights.scales, { optional: false });
  const y = d.activation(quantized(x), [n, ...win.out, outC], d.sumScale(x, weights.scales[0]!, win.kernel[0] * win.kernel[1]));
  d.op('DEPTHWISE_CONV_2D', x, Op.DEPTHWISE_CONV_2D, [x.index, weights.index, bias], [y.index], depthwiseOptions({ padding: win.padding, stride: win.stride, dilation: win.dilation, multiplier, activation: d.fusedActivation() }));
  return y;
}

function fullyConnected(d: Draft, x: Activation): Activation {
  const depth = x.shape[x.shape.length - 1]!;
  const rows = count(x.shape) / depth;
  const units = 1 + d.rng.int(10);
  const weights = d.weights([units, depth], 0, d.rng.chance(0.3));
  const bias = d.bias(x, units, weights.scales, { int32: true });
  const keepNumDims = x.shape.length > 2 && d.rng.chance(0.3);
  const y = d.activation(quantized(x), keepNumDims ? [...x.shape.slice(0, -1), units] : [rows, units], d.sumScale(x, weights.scales[0]!, depth));
  const fcOptions = options('FullyConnectedOptions', { fusedActivationFunction: d.fusedActivation(), keepNumDims });
  d.op('FULLY_CONNECTED', x, Op.FULLY_CONNECTED, [x.index, weights.index, bias], [y.index], fcOptions);
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
  const bias = d.bias(x, outC, weights.scales);
  const y = d.activation(quantized(x), [n, ...out, outC], d.sumScale(x, weights.scales[0]!, Math.max(1, (kernel[0] * kernel[1] * c) / (stride[0] * stride[1]))));
  const shape = d.int32([n, ...out, outC]);
  const inputs = bias >= 0 ? [shape, weights.index, x.index, bias] : [shape, weights.index, x.index];
  const fused = d.rng.chance(0.2) ? d.fusedActivation() : Act.NONE;
  d.op('TRANSPOSE_CONV', x, Op.TRANSPOSE_CONV, inputs, [y.index], options('TransposeConvOptions', { padding, strideH: stride[0], strideW: stride[1], fusedActivationFunction: fused }));
  return y;
}

function pool(kind: 'AVERAGE_POOL_2D' | 'MAX_POOL_2D'): Generator {
  return (d, x) => {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const win: Window = d.rng.chance(0.15) ? { kernel: [h, w], stride: [1, 1], dilation: [1, 1], padding: Padding.VALID, out: [1, 1] } : drawWindow(d, h, w, false);
    const same = d.rng.chance(0.9);
    const y = d.activation(quantized(x), [n, ...win.out, c], same ? x.scale : d.scale(quantized(x)), same ? x.zeroPoint : d.zeroPoint(quantized(x)));
    d.op(kind, x, Op[kind], [x.index], [y.index], pool2dOptions({ padding: win.padding, stride: win.stride, filter: win.kernel, activation: d.fusedActivation() }));
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
  const y = d.activation(quantized(x), shape, same ? x.scale : d.scale(quantized(x)), same ? x.zeroPoint : d.zeroPoint(quantized(x)));
  d.op('MEAN', x, Op.MEAN, [x.index, axisTensor], [y.index], options('ReducerOptions', { keepDims }));
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
    const other = d.rng.chance(0.05) ? x : d.operand(quantized(x), broadcastShape(d, x.shape));
    const operands = d.rng.chance(0.5) ? [x, other] : [other, x];
    let yScale = d.scale(quantized(x));
    if (kind === 'MUL') yScale = Math.fround(x.scale * other.scale * RANGE[quantized(x)].max * 10 ** (-0.7 + d.rng.float()));
    else if (d.rng.chance(0.5)) yScale = Math.fround(Math.max(x.scale, other.scale) * (1 + d.rng.float()));
    const y = d.activation(quantized(x), x.shape, yScale);
    const optionsName = kind === 'ADD' ? 'AddOptions' : kind === 'SUB' ? 'SubOptions' : 'MulOptions';
    d.op(kind, x, Op[kind], operands.map((o) => o.index), [y.index], options(optionsName, { fusedActivationFunction: d.fusedActivation() }));
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
    parts.push(matched ? d.operand(quantized(x), shape, x.scale, x.zeroPoint) : d.operand(quantized(x), shape));
  }
  if (d.rng.chance(0.5)) parts.reverse();
  const shape = x.shape.map((s, a) => (a === axis ? parts.reduce((sum, p) => sum + p.shape[a]!, 0) : s));
  const y = matched ? d.activation(quantized(x), shape, x.scale, x.zeroPoint) : d.activation(quantized(x), shape);
  const written = d.rng.chance(0.3) ? axis - rank : axis;
  d.op('CONCATENATION', x, Op.CONCATENATION, parts.map((p) => p.index), [y.index], options('ConcatenationOptions', { axis: written, fusedActivationFunction: 0 }));
  return y;
}

function pad(d: Draft, x: Activation): Activation {
  const rank = x.shape.length;
  const pads = x.shape.map((_, a) => (rank === 4 && a === 0 ? [0, 0] : [d.rng.int(3), d.rng.int(3)]));
  const paddings = d.int32(pads.flat(), [rank, 2]);
  const y = d.activation(quantized(x), x.shape.map((s, a) => s + pads[a]![0]! + pads[a]![1]!), x.scale, x.zeroPoint);
  d.op('PAD', x, Op.PAD, [x.index, paddings], [y.index]);
  return y;
}

function reshape(d: Draft, x: Activation): Activation {
  const n = count(x.shape);
  const divisors = Array.from({ length: n }, (_, i) => i + 1).filter((k) => n % k === 0);
  const a = d.rng.pick(divisors);
  const target = d.rng.pick([[1, n], [a, n / a], [1, a, n / a], [n], [1, 1, a, n / a]]);
  const written = d.rng.chance(0.3) ? target.map((s, i) => (i === target.length - 1 ? -1 : s)) : target;
  const shapeTensor = d.int32(written);
  const y = d.activation(quantized(x), target, x.scale, x.zeroPoint);
  d.op('RESHAPE', x, Op.RESHAPE, [x.index, shapeTensor], [y.index]);
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
  const y = d.activation(quantized(x), out, x.scale, x.zeroPoint);
  const inputs = [x.index, d.int32(begin), d.int32(end), d.int32(strides)];
  d.op('STRIDED_SLICE', x, Op.STRIDED_SLICE, inputs, [y.index], options('StridedSliceOptions', { beginMask, endMask, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask, offset: false }));
  return y;
}

function transpose(d: Draft, x: Activation): Activation {
  const perm = x.shape.map((_, i) => i);
  for (let i = perm.length - 1; i > 0; i--) {
    const j = d.rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const y = d.activation(quantized(x), perm.map((p) => x.shape[p]!), x.scale, x.zeroPoint);
  d.op('TRANSPOSE', x, Op.TRANSPOSE, [x.index, d.int32(perm)], [y.index]);
  return y;
}

/** TFLM's fixed output quantization: int8 softmax and logistic, int8 tanh, every int16 one, and int8 → int16 softmax. */
const FIXED = {
  probability: { scale: 1 / 256, zeroPoint: -128 },
  signed: { scale: 1 / 128, zeroPoint: 0 },
  int16: { scale: 1 / 32768, zeroPoint: 0 },
  int8ToInt16: { scale: 1 / 65536, zeroPoint: -32768 },
};

/**
 * An output like x with TFLM's fixed quantization, or now and then another: a random one, or
 * the right zero point with another scale (TFLM checks only the zero point of some).
 */
function fixedOutput(d: Draft, x: Activation, fixed: { scale: number; zeroPoint: number }): Activation {
  const dtype = quantized(x);
  const r = d.rng.float();
  if (r < 0.03) return d.activation(dtype, x.shape);
  if (r < 0.06) return d.activation(dtype, x.shape, d.scale(dtype), fixed.zeroPoint);
  return d.activation(dtype, x.shape, fixed.scale, fixed.zeroPoint);
}

/** SOFTMAX: int8 → int8, int16 → int16, and now and then TFLM's int8 → int16 form. */
function softmax(d: Draft, x: Activation): Activation {
  const beta = d.rng.pick([1, 1, 0.5, 2, Math.fround(0.1 + d.rng.float() * 3)]);
  // (The draw for the int16 form comes only for int8 inputs, so 16x8 cases are drawn as before.)
  const widened = x.dtype === 'int8' && d.rng.chance(0.25);
  const y = widened ? d.activation('int16', x.shape, FIXED.int8ToInt16.scale, FIXED.int8ToInt16.zeroPoint) : fixedOutput(d, x, x.dtype === 'int16' ? FIXED.int16 : FIXED.probability);
  d.op('SOFTMAX', x, Op.SOFTMAX, [x.index], [y.index], options('SoftmaxOptions', { beta }));
  return y;
}

function fixedActivation(kind: 'LOGISTIC' | 'TANH'): Generator {
  return (d, x) => {
    const y = fixedOutput(d, x, x.dtype === 'int16' ? FIXED.int16 : kind === 'LOGISTIC' ? FIXED.probability : FIXED.signed);
    d.op(kind, x, Op[kind], [x.index], [y.index]);
    return y;
  };
}

/** RELU-like ops: the output quantized as the input half the time, freshly otherwise. */
function requantizing(kind: 'RELU' | 'RELU6' | 'HARD_SWISH'): Generator {
  return (d, x) => {
    const same = kind !== 'HARD_SWISH' && d.rng.chance(0.5);
    const y = d.activation(quantized(x), x.shape, same ? x.scale : d.scale(quantized(x)), same ? x.zeroPoint : d.zeroPoint(quantized(x)));
    d.op(kind, x, Op[kind], [x.index], [y.index]);
    return y;
  };
}

function leakyRelu(d: Draft, x: Activation): Activation {
  const alpha = Math.fround(d.rng.pick([0.1, 0.2, 0.01, 0.3 + d.rng.float(), 1.5]));
  const y = d.activation(quantized(x), x.shape, d.rng.chance(0.3) ? x.scale : d.scale(quantized(x)), d.zeroPoint(quantized(x)));
  d.op('LEAKY_RELU', x, Op.LEAKY_RELU, [x.index], [y.index], options('LeakyReluOptions', { alpha }));
  return y;
}

/** QUANTIZE requantizes, and between int8 and int16 changes the type (16x8 models start and end in int8). */
function quantize(d: Draft, x: Activation): Activation {
  const dtype = d.rng.chance(x.dtype === 'int8' ? 0.25 : 0.5) ? (x.dtype === 'int8' ? 'int16' : 'int8') : quantized(x);
  const y = d.activation(dtype, x.shape);
  d.op('QUANTIZE', x, Op.QUANTIZE, [x.index], [y.index]);
  return y;
}

function dequantize(d: Draft, x: Activation): Activation {
  const index = d.tensors.length;
  d.tensors.push({ name: `t${index}`, type: TensorType.FLOAT32, shape: x.shape });
  d.op('DEQUANTIZE', x, Op.DEQUANTIZE, [x.index], [index]);
  return { index, dtype: 'float32', shape: x.shape, scale: 1, zeroPoint: 0 };
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
  const spatial = op === undefined ? d.rng.chance(0.75) : !GENERATORS[op].applies({ index: 0, dtype: 'int8', shape: [1, 1], scale: 1, zeroPoint: 0 }) || d.rng.chance(0.75);
  if (spatial) {
    if (d.rng.chance(0.15)) return [1, 4 + d.rng.int(13), 4 + d.rng.int(13), 8 + d.rng.int(33)];
    return [d.rng.chance(0.05) ? 2 : 1, 1 + d.rng.int(8), 1 + d.rng.int(8), 1 + d.rng.int(8)];
  }
  const rank = d.rng.pick([1, 2, 2, 2, 3, 3, 5]);
  return Array.from({ length: rank }, (_, a) => (a === rank - 1 ? 1 + d.rng.int(rank <= 2 ? 64 : 8) : 1 + d.rng.int(rank === 5 ? 3 : 4)));
}

/** Operators tinygen takes only in int8 (16x8 models have no int16 HARD_SWISH). */
const INT8_ONLY: ReadonlySet<GeneratedOp> = new Set(['HARD_SWISH']);

/**
 * Case `index` of run `seed`: even indices are one operator (the operators in turn, every third
 * round in 16x8), odd ones a chain of two to four drawn among those that apply to the shape and
 * type at hand (a third of them in 16x8; QUANTIZE moves between int8 and int16). DEQUANTIZE only
 * ends a chain; QUANTIZE sometimes starts one from a float32 input.
 */
export function generateCase(seed: number, index: number): GeneratedCase {
  const d = new Draft(new Rng(seed * 1_000_003 + index * 7919 + 1));
  const single = index % 2 === 0 ? GENERATED_OPS[(index / 2) % GENERATED_OPS.length]! : undefined;
  const round = Math.floor(index / 2 / GENERATED_OPS.length);
  const wide = single ? round % 3 === 2 && !INT8_ONLY.has(single) : d.rng.chance(1 / 3);
  const dtype: Quantized = wide ? 'int16' : 'int8';
  const length = single ? 1 : 2 + d.rng.int(3);
  const shape = drawInputShape(d, single);
  let x: Activation;
  if ((single === 'QUANTIZE' || (!single && d.rng.chance(0.1))) && d.rng.chance(0.5)) {
    // float32 → QUANTIZE at the graph input.
    const f = d.floatInput(shape);
    const y = d.activation(dtype, shape);
    d.op('QUANTIZE', f, Op.QUANTIZE, [f.index], [y.index]);
    x = y;
  } else {
    x = d.graphInput(dtype, shape);
  }
  while (d.ops.length < length) {
    const last = d.ops.length === length - 1;
    const current = x;
    const choices = single
      ? [single]
      : GENERATED_OPS.filter((op) => GENERATORS[op].applies(current) && (op !== 'DEQUANTIZE' || last) && !(current.dtype === 'int16' && INT8_ONLY.has(op)));
    // A MEAN over every axis can leave a scalar that nothing else takes: the chain ends there.
    if (choices.length === 0) break;
    x = GENERATORS[d.rng.pick(choices)].build(d, x);
  }
  const inputs = d.inputs.map((i) => {
    const t = d.tensors[i]!;
    const type = t.type === TensorType.FLOAT32 ? 'float32' : t.type === TensorType.INT16 ? 'int16' : 'int8';
    return { type, shape: t.shape, range: 0 } as GeneratedCase['inputs'][number];
  });
  // A float32 input spans the range of the QUANTIZE after it, and a little beyond.
  inputs.forEach((input, i) => {
    if (input.type !== 'float32') return;
    const y = d.tensors[d.operators.find((o) => o.inputs[0] === d.inputs[i])!.outputs[0]!]!;
    input.range = 1.1 * y.scale![0]! * (y.type === TensorType.INT16 ? 32768 : 128);
  });
  const spec = d.spec([x.index]);
  return { id: `${seed}-${index}`, ops: d.ops, model: buildTflite(spec), spec, inputs };
}

/** `records` input records for a case: every graph input's bytes, in order, per record. */
export function drawInputs(c: GeneratedCase, seed: number, records: number): Uint8Array {
  const rng = new Rng(seed * 7 + 3);
  const parts: Uint8Array[] = [];
  for (let r = 0; r < records; r++) {
    for (const input of c.inputs) {
      const n = count(input.shape);
      if (input.type === 'float32') {
        const values = Float32Array.from({ length: n }, () => (rng.float() * 2 - 1) * input.range);
        parts.push(new Uint8Array(values.buffer));
        continue;
      }
      // Mostly uniform over the type; the extremes and 0 now and then, since saturation bugs live there.
      const max = RANGE[input.type].max;
      const values = Array.from({ length: n }, () => (rng.chance(0.1) ? rng.pick([-max - 1, max, 0]) : rng.int(2 * max + 2) - max - 1));
      parts.push(input.type === 'int8' ? new Uint8Array(Int8Array.from(values).buffer) : new Uint8Array(Int16Array.from(values).buffer));
    }
  }
  return new Uint8Array(Buffer.concat(parts));
}
