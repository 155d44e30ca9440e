/**
 * Random models for the matrix ops (QGemm and its QDQ Gemm form, MatMulInteger, ConvInteger) and
 * the 1-D windows (QLinearConv, ConvInteger, MaxPool on [N, C, L]), built with the ONNX graph
 * builder. Shared by the ONNX Runtime oracle tests and the host C tests.
 */
import { GraphBuilder, type ElemType } from '../helpers/onnx-builder.ts';

export interface RandomModel {
  /** The saved model; '' when it was built into another model's graph. */
  path: string;
  summary: string;
}

/** Build into an existing graph, with names prefixed, instead of a model of its own. */
export interface Into {
  g: GraphBuilder;
  prefix: string;
}

const start = (into?: Into) => ({ g: into?.g ?? new GraphBuilder(), p: into?.prefix ?? '' });
const finish = (g: GraphBuilder, into: Into | undefined, summary: string): RandomModel => ({ path: into ? '' : g.save(), summary });

type Rng = () => number;
type Q8 = 'int8' | 'uint8';

const f32 = Math.fround;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const ints = (rng: Rng, count: number, lo: number, hi: number) => Array.from({ length: count }, () => int(rng, lo, hi));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
/** A float32 scale with a full mantissa, so products and quotients round. */
const scale = (rng: Rng, lo: number, hi: number) => f32(lo + rng() * (hi - lo));
/** A quantized value of type `t` given as its int8 equivalent v in [-128, 127]. */
const q = (t: Q8, v: number) => (t === 'uint8' ? v + 128 : v);
const qs = (t: Q8, values: number[]) => values.map((v) => q(t, v));

export interface QGemmOptions {
  dtype?: Q8;
  floatOutput?: boolean;
  transA?: number;
  transB?: number;
  bias?: 'none' | 'scalar' | 'n' | '1xn' | 'mx1' | 'mxn';
  perColumn?: boolean;
  alpha?: number;
  /** Power-of-two scales, so that many accumulators land exactly halfway between two outputs. */
  ties?: boolean;
}

/** com.microsoft QGemm with a constant B. */
export function randomQGemmModel(rng: Rng, o: QGemmOptions = {}, into?: Into): RandomModel {
  const dtype = o.dtype ?? pick(rng, ['int8', 'uint8'] as const);
  const bType: Q8 = dtype === 'int8' ? 'int8' : pick(rng, ['int8', 'uint8'] as const);
  // With ties: small sums times multipliers 2^-2 .. 2^-4, mostly inside the output range.
  const [m, k, n] = [int(rng, 1, 5), o.ties ? int(rng, 1, 3) : int(rng, 1, 40), int(rng, 1, 9)];
  const transA = o.transA ?? int(rng, 0, 1);
  const transB = o.transB ?? int(rng, 0, 1);
  const perColumn = o.perColumn ?? rng() < 0.5;
  const bias = o.bias ?? pick(rng, ['none', 'scalar', 'n', '1xn', 'mx1', 'mxn'] as const);
  const alpha = o.alpha ?? pick(rng, [1, 1, 0.5, f32(0.3 + rng() * 2)]);
  const floatOutput = o.floatOutput ?? false;
  const pow2 = (lo: number, hi: number) => 2 ** -int(rng, lo, hi);
  const wScale = () => (o.ties ? pow2(2, 4) : scale(rng, 0.002, 0.02));
  const { g, p } = start(into);
  const a = g.input(`${p}a`, dtype, transA ? [k, m] : [m, k]);
  const b = g.constant(bType, transB ? [n, k] : [k, n], qs(bType, o.ties ? ints(rng, k * n, -3, 3) : ints(rng, k * n, -127, 127)));
  const bScale = perColumn ? g.constant('float32', [n], Array.from({ length: n }, wScale)) : g.scalar(wScale());
  const zb = o.ties ? 0 : 10;
  const bZero = perColumn ? g.constant(bType, [n], qs(bType, ints(rng, n, -zb, zb))) : g.scalar(q(bType, int(rng, -zb, zb)), bType);
  const biasShape = { none: [], scalar: [], n: [n], '1xn': [1, n], mx1: [m, 1], mxn: [m, n] }[bias];
  const biasRange = o.ties ? 50 : 5000;
  const c = bias === 'none' ? '' : g.constant('int32', biasShape, ints(rng, biasShape.reduce((x, y) => x * y, 1), -biasRange, biasRange));
  const inputs = [a, g.scalar(o.ties ? 2 ** -3 : scale(rng, 0.01, 0.05)), g.scalar(q(dtype, int(rng, -20, 20)), dtype), b, bScale, bZero, c];
  if (!floatOutput) inputs.push(g.scalar(o.ties ? 2 ** -3 : scale(rng, 0.02, 0.3)), g.scalar(q(dtype, int(rng, -30, 30)), dtype));
  const [y] = g.node('QGemm', inputs, { transA, transB, alpha: { float: alpha } }, { domain: 'com.microsoft' });
  g.output(g.rename(y!, `${p}y`), floatOutput ? 'float32' : dtype, [m, n]);
  const summary = `QGemm${o.ties ? ' (ties)' : ''} ${dtype}/${bType} ${m}x${k}x${n} transA ${transA} transB ${transB} alpha ${alpha} bias ${bias}${perColumn ? ' per-column' : ''}${floatOutput ? ' float out' : ''}`;
  return finish(g, into, summary);
}

export interface QdqGemmOptions {
  dtype?: Q8;
  bias?: 'none' | 'dq' | 'float';
  activation?: 'none' | 'relu';
  alpha?: number;
  perColumn?: boolean;
}

/** DQ(A) and DQ(B) → Gemm (optional bias) → [Relu] → Q, quantized in and out. */
export function randomQdqGemmModel(rng: Rng, o: QdqGemmOptions = {}, into?: Into): RandomModel {
  const dtype = o.dtype ?? pick(rng, ['int8', 'uint8'] as const);
  const [m, k, n] = [int(rng, 1, 4), int(rng, 1, 40), int(rng, 1, 9)];
  const transA = int(rng, 0, 1);
  const transB = int(rng, 0, 1);
  const bias = o.bias ?? pick(rng, ['none', 'dq', 'float'] as const);
  const perColumn = o.perColumn ?? rng() < 0.5;
  const alpha = bias === 'none' ? (o.alpha ?? pick(rng, [1, f32(0.3 + rng() * 2)])) : 1;
  const { g, p } = start(into);
  const a = g.input(`${p}a`, dtype, transA ? [k, m] : [m, k]);
  const sa = scale(rng, 0.01, 0.05);
  const af = g.node('DequantizeLinear', [a, g.scalar(sa), g.scalar(q(dtype, int(rng, -20, 20)), dtype)])[0]!;
  const sb = perColumn ? Array.from({ length: n }, () => scale(rng, 0.002, 0.02)) : [scale(rng, 0.002, 0.02)];
  const bData = g.constant('int8', transB ? [n, k] : [k, n], ints(rng, k * n, -127, 127));
  const bScale = perColumn ? g.constant('float32', [n], sb) : g.scalar(sb[0]!);
  const bZero = perColumn ? g.constant('int8', [n], new Array<number>(n).fill(0)) : g.scalar(0, 'int8');
  const bf = g.node('DequantizeLinear', [bData, bScale, bZero], perColumn ? { axis: transB ? 0 : 1 } : {})[0]!;
  const inputs = [af, bf];
  const biasValues = ints(rng, n, -3000, 3000);
  const biasScales = biasValues.map((_, i) => f32(sa * sb[perColumn ? i : 0]!));
  if (bias === 'dq') {
    const cScale = perColumn ? g.constant('float32', [n], biasScales) : g.scalar(biasScales[0]!);
    const cZero = perColumn ? g.constant('int32', [n], new Array<number>(n).fill(0)) : g.scalar(0, 'int32');
    inputs.push(g.node('DequantizeLinear', [g.constant('int32', [n], biasValues), cScale, cZero], perColumn ? { axis: 0 } : {})[0]!);
  }
  // Float biases on and off the integer grid (half of them exactly between two steps).
  if (bias === 'float') inputs.push(g.constant('float32', [n], biasValues.map((v, i) => f32((v + (i % 2 ? 0.5 : rng())) * biasScales[i]!))));
  let y = g.node('Gemm', inputs, { transA, transB, alpha: { float: alpha } })[0]!;
  if (o.activation === 'relu') y = g.node('Relu', [y])[0]!;
  const out = g.node('QuantizeLinear', [y, g.scalar(scale(rng, 0.02, 0.3)), g.scalar(q(dtype, int(rng, -30, 30)), dtype)])[0]!;
  g.output(g.rename(out, `${p}y`), dtype, [m, n]);
  return finish(g, into, `QDQ Gemm ${dtype} ${m}x${k}x${n} transA ${transA} transB ${transB} alpha ${alpha} bias ${bias}${perColumn ? ' per-column' : ''}${o.activation === 'relu' ? ' relu' : ''}`);
}

export interface MatMulIntegerOptions {
  dtype?: Q8;
  perColumn?: boolean;
}

/** MatMulInteger with a constant B: 2-D, batched A with a shared B, or batched B with a 2-D A. */
export function randomMatMulIntegerModel(rng: Rng, o: MatMulIntegerOptions = {}, into?: Into): RandomModel {
  const dtype = o.dtype ?? pick(rng, ['int8', 'uint8'] as const);
  const bType: Q8 = dtype === 'int8' ? 'int8' : pick(rng, ['int8', 'uint8'] as const);
  const [m, k, n] = [int(rng, 1, 5), int(rng, 1, 30), int(rng, 1, 7)];
  const layout = pick(rng, ['2d', 'batched-a', 'batched-both', 'batched-b'] as const);
  const batch = layout === '2d' ? [] : pick(rng, [[2], [2, 3], [3]]);
  const aShape = [...(layout === 'batched-b' ? [] : batch), m, k];
  const bShape = [...(layout === 'batched-both' || layout === 'batched-b' ? batch : []), k, n];
  // ONNX Runtime takes a per-column B zero point of N values only for a 2-D B.
  const perColumn = bShape.length === 2 && (o.perColumn ?? rng() < 0.5);
  const { g, p } = start(into);
  const a = g.input(`${p}a`, dtype, aShape);
  const b = g.constant(bType, bShape, qs(bType, ints(rng, bShape.reduce((x, y) => x * y, 1), -128, 127)));
  const aZero = g.scalar(q(dtype, int(rng, -40, 40)), dtype);
  const bZero = perColumn ? g.constant(bType, [n], qs(bType, ints(rng, n, -40, 40))) : g.scalar(q(bType, int(rng, -40, 40)), bType);
  const [y] = g.node('MatMulInteger', [a, b, aZero, bZero]);
  g.output(g.rename(y!, `${p}y`), 'int32', [...(batch.length ? batch : []), m, n]);
  return finish(g, into, `MatMulInteger ${dtype}/${bType} A [${aShape}] B [${bShape}]${perColumn ? ' per-column' : ''}`);
}

export interface ConvOptions {
  dtype?: Q8;
  oneD?: boolean;
  /** Weight zero point per output channel (ONNX allows it; ONNX Runtime's ConvInteger does not). */
  perChannelZero?: boolean;
}

interface Window {
  kernel: number[];
  attrs: Record<string, number[] | string>;
  inSpatial: number[];
  /** The output's spatial size (ONNX's formulas; with ceil_mode when `ceil`). */
  outSpatial(ceil?: boolean): number[];
}

/**
 * Random window attributes. ONNX Runtime refuses dilations with SAME padding in convolutions and
 * sizes such pools unlike the ONNX specification, so dilations come only with explicit pads.
 */
function randomWindow(rng: Rng, rank: number): Window {
  const kernel = Array.from({ length: rank }, () => int(rng, 1, 4));
  const strides = Array.from({ length: rank }, () => int(rng, 1, 2));
  const autoPad = rng() < 0.3 ? pick(rng, ['SAME_UPPER', 'SAME_LOWER', 'VALID']) : undefined;
  const dilations = Array.from({ length: rank }, () => (autoPad && autoPad !== 'VALID' ? 1 : int(rng, 1, 2)));
  const inSpatial = kernel.map((kk, i) => dilations[i]! * (kk - 1) + 1 + int(rng, 0, 6));
  const attrs: Record<string, number[] | string> = { kernel_shape: kernel, strides, dilations };
  const pads = Array.from({ length: 2 * rank }, (_, i) => int(rng, 0, Math.max(0, kernel[i % rank]! - 1)));
  if (autoPad) attrs.auto_pad = autoPad;
  else attrs.pads = pads;
  const outSpatial = (ceil = false) =>
    inSpatial.map((size, i) => {
      if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / strides[i]!);
      const span = dilations[i]! * (kernel[i]! - 1) + 1;
      const padded = size + (autoPad ? 0 : pads[i]! + pads[i + rank]!) - span;
      const out = (ceil ? Math.ceil(padded / strides[i]!) : Math.floor(padded / strides[i]!)) + 1;
      return ceil && (out - 1) * strides[i]! >= size + (autoPad ? 0 : pads[i]!) ? out - 1 : out;
    });
  return { kernel, attrs, inSpatial, outSpatial };
}

/** ConvInteger, 1-D or 2-D, any group. */
export function randomConvIntegerModel(rng: Rng, o: ConvOptions = {}, into?: Into): RandomModel {
  const dtype = o.dtype ?? pick(rng, ['int8', 'uint8'] as const);
  const wType: Q8 = pick(rng, ['int8', 'uint8'] as const);
  const rank = o.oneD ? 1 : 2;
  const w = randomWindow(rng, rank);
  const group = pick(rng, [1, 1, 2]);
  const [cIn, cOut] = [group * int(rng, 1, 3), group * int(rng, 1, 3)];
  const { g, p } = start(into);
  const x = g.input(`${p}x`, dtype, [1, cIn, ...w.inSpatial]);
  const wShape = [cOut, cIn / group, ...w.kernel];
  const weights = g.constant(wType, wShape, qs(wType, ints(rng, wShape.reduce((a, b) => a * b, 1), -128, 127)));
  const wZero = o.perChannelZero ? g.constant(wType, [cOut], qs(wType, ints(rng, cOut, -30, 30))) : g.scalar(q(wType, int(rng, -30, 30)), wType);
  const [y] = g.node('ConvInteger', [x, weights, g.scalar(q(dtype, int(rng, -40, 40)), dtype), wZero], { ...w.attrs, group });
  g.output(g.rename(y!, `${p}y`), 'int32', [1, cOut, ...w.outSpatial()]);
  return finish(g, into, `ConvInteger ${dtype}/${wType} x [1, ${cIn}, ${w.inSpatial}] w [${wShape}] group ${group} ${JSON.stringify(w.attrs)}`);
}

/** A 1-D QLinearConv (with bias), optionally followed by a 1-D MaxPool and a second 1-D QLinearConv. */
export function randomConv1dModel(rng: Rng, o: { dtype?: Q8; chain?: boolean } = {}, into?: Into): RandomModel {
  const dtype = o.dtype ?? pick(rng, ['int8', 'uint8'] as const);
  const w = randomWindow(rng, 1);
  const group = pick(rng, [1, 1, 2]);
  const [cIn, cOut] = [group * int(rng, 1, 3), group * int(rng, 1, 3)];
  const { g, p } = start(into);
  const x = g.input(`${p}x`, dtype, [1, cIn, ...w.inSpatial]);
  const perChannel = rng() < 0.5;
  const wScale = perChannel ? g.constant('float32', [cOut], Array.from({ length: cOut }, () => scale(rng, 0.002, 0.02))) : g.scalar(scale(rng, 0.002, 0.02));
  const wZero = perChannel ? g.constant(dtype, [cOut], qs(dtype, new Array<number>(cOut).fill(0))) : g.scalar(q(dtype, 0), dtype);
  const wShape = [cOut, cIn / group, ...w.kernel];
  const weights = g.constant(dtype, wShape, qs(dtype, ints(rng, wShape.reduce((a, b) => a * b, 1), -127, 127)));
  const yScale = scale(rng, 0.02, 0.2);
  const yZero = int(rng, -20, 20);
  let y = g.node(
    'QLinearConv',
    [x, g.scalar(scale(rng, 0.01, 0.05)), g.scalar(q(dtype, int(rng, -20, 20)), dtype), weights, wScale, wZero, g.scalar(yScale), g.scalar(q(dtype, yZero), dtype), g.constant('int32', [cOut], ints(rng, cOut, -2000, 2000))],
    { ...w.attrs, group },
  )[0]!;
  let outShape = [1, cOut, ...w.outSpatial()];
  let summary = `QLinearConv 1-D ${dtype} x [1, ${cIn}, ${w.inSpatial}] w [${wShape}] group ${group} ${JSON.stringify(w.attrs)}`;
  if (o.chain) {
    y = g.node('MaxPool', [y], { kernel_shape: [2], strides: [1], pads: [1, 0] })[0]!;
    const c2 = int(rng, 1, 3);
    const w2 = g.constant(dtype, [c2, cOut, 1], qs(dtype, ints(rng, c2 * cOut, -127, 127)));
    y = g.node('QLinearConv', [y, g.scalar(yScale), g.scalar(q(dtype, yZero), dtype), w2, g.scalar(scale(rng, 0.002, 0.02)), g.scalar(q(dtype, 0), dtype), g.scalar(scale(rng, 0.02, 0.2)), g.scalar(q(dtype, int(rng, -20, 20)), dtype)])[0]!;
    summary += ` → MaxPool 1-D → QLinearConv 1x1 (${c2})`;
    outShape = [1, c2, outShape[2]! + 1 - 2 + 1];
  }
  g.output(g.rename(y, `${p}y`), dtype, outShape);
  return finish(g, into, summary);
}

/** A 1-D MaxPool on an int8 or uint8 [N, C, L] input. */
export function randomMaxPool1dModel(rng: Rng, o: { dtype?: Q8 } = {}, into?: Into): RandomModel {
  const dtype = o.dtype ?? pick(rng, ['int8', 'uint8'] as const);
  const w = randomWindow(rng, 1);
  const c = int(rng, 1, 4);
  const { g, p } = start(into);
  const batch = int(rng, 1, 2);
  const x = g.input(`${p}x`, dtype as ElemType, [batch, c, ...w.inSpatial]);
  const attrs = { ...w.attrs, ceil_mode: w.attrs.auto_pad === undefined ? int(rng, 0, 1) : 0 };
  const [y] = g.node('MaxPool', [x], attrs);
  g.output(g.rename(y!, `${p}y`), dtype, [batch, c, ...w.outSpatial(attrs.ceil_mode === 1)]);
  return finish(g, into, `MaxPool 1-D ${dtype} [${c}, ${w.inSpatial}] ${JSON.stringify(attrs)}`);
}

/** One model holding several random models side by side (one host build for all of them). */
export function combinedModel(parts: ((into: Into) => RandomModel)[]): RandomModel {
  const g = new GraphBuilder();
  const summaries = parts.map((part, i) => part({ g, prefix: `m${i}_` }).summary);
  return { path: g.save(), summary: summaries.join(' | ') };
}
