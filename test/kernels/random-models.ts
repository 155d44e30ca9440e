/** Random single-op QOperator models for the kernel differential tests. */
import { GraphBuilder } from '../helpers/onnx-builder.ts';

export type Rng = () => number;
export const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const bytes = (rng: Rng, n: number, lo = -128, hi = 127) => Array.from({ length: n }, () => int(rng, lo, hi));
const scale = (rng: Rng) => Math.fround(2 ** (-int(rng, 2, 9)) * (1 + rng()));

/**
 * `wide`: dense or grouped with 4 to 19 input channels per group, so filters span many 4-tap blocks.
 * `denseOnly`: one group and weight zero point 0, the layers the dense int8-patch kernel takes.
 */
export function randomConvModel(rng: Rng, wide = false, denseOnly = false): { path: string; summary: string } {
  const g = new GraphBuilder();
  const kind = denseOnly ? 'dense' : wide ? pick(rng, ['dense', 'grouped'] as const) : pick(rng, ['dense', 'depthwise', 'grouped'] as const);
  const groups = kind === 'dense' ? 1 : int(rng, 2, 4);
  const multiplier = kind === 'depthwise' ? int(rng, 1, 2) : 1;
  const c = kind === 'depthwise' ? groups : groups * (wide ? int(rng, 4, 19) : int(rng, 1, 3));
  const m = kind === 'depthwise' ? groups * multiplier : groups * int(rng, 1, 3);
  const [kh, kw] = [int(rng, 1, 3), int(rng, 1, 3)];
  const [sh, sw] = [int(rng, 1, 2), int(rng, 1, 2)];
  const [dh, dw] = [int(rng, 1, 2), int(rng, 1, 2)];
  const pads = [int(rng, 0, 2), int(rng, 0, 2), int(rng, 0, 2), int(rng, 0, 2)];
  const [h, w] = [int(rng, 4, 9), int(rng, 4, 9)];
  const dtype = pick(rng, ['int8', 'uint8'] as const);
  const perChannel = rng() < 0.5;
  const x = g.input('x', dtype, [1, c, h, w]);
  const act = dtype === 'int8' ? [-128, 127] : [0, 255];
  const weights = g.constant('int8', [m, c / groups, kh, kw], bytes(rng, m * (c / groups) * kh * kw, -127, 127));
  const wScale = perChannel ? g.constant('float32', [m], Array.from({ length: m }, () => scale(rng))) : g.scalar(scale(rng));
  // Symmetric weights (zero point 0) are the common case; a non-zero one takes the kernel's
  // zero-point correction path.
  const wZeroValues = Array.from({ length: m }, () => (!denseOnly && rng() < 0.3 ? int(rng, -20, 20) : 0));
  const wZero = perChannel ? g.constant('int8', [m], wZeroValues) : g.scalar(wZeroValues[0]!, 'int8');
  const bias = g.constant('int32', [m], bytes(rng, m, -3000, 3000));
  const [y] = g.node(
    'QLinearConv',
    [x, g.scalar(scale(rng) * 4), g.scalar(int(rng, act[0]!, act[1]!), dtype), weights, wScale, wZero, g.scalar(scale(rng) * 8), g.scalar(int(rng, act[0]!, act[1]!), dtype), bias],
    { kernel_shape: [kh, kw], strides: [sh, sw], dilations: [dh, dw], pads, group: groups },
  );
  g.output(g.rename(y!, 'y'), dtype, []);
  return { path: g.save(), summary: `${kind} ${dtype} c${c} m${m} ${h}x${w} k${kh}x${kw} s${sh}x${sw} d${dh}x${dw} p[${pads}] ${perChannel ? 'per-channel' : 'per-tensor'}` };
}

/**
 * A pointwise convolution (1x1, no padding, one group, weight zero point 0), which runs the int8
 * matrix-product kernel: channel counts that leave 4- and 16-lane tails, odd pixel and channel
 * counts (the 2x2 blocks' leftovers), strides 1 and 2, input zero points far from 0 and biases near
 * the int32 limits (the folded bias wraps).
 */
export interface PointwisePins {
  outChannels?: number;
  /** [h, w] of the input. */
  size?: [number, number];
  perChannel?: boolean;
}

/** `pins` fix what a test must reach (an odd pixel count's lone pixel, whole groups of four channels per channel). */
export function randomPointwiseModel(rng: Rng, wide = false, pins: PointwisePins = {}): { path: string; summary: string } {
  const g = new GraphBuilder();
  const dtype = pick(rng, ['int8', 'uint8'] as const);
  const act = dtype === 'int8' ? [-128, 127] : [0, 255];
  // `wide`: enough channels for the 4-value (SMLAD) and 16-lane (MVE) steps and their tails.
  const c = pick(rng, wide ? [16, 19, 33, 40] : [1, 3, 4, 7, 16, 17, 33, 40]);
  const m = pins.outChannels ?? int(rng, 1, 9);
  const [h, w] = pins.size ?? [int(rng, 1, 6), int(rng, 1, 6)];
  const stride = pins.size ? 1 : int(rng, 1, 2);
  const perChannel = pins.perChannel ?? rng() < 0.5;
  const x = g.input('x', dtype, [1, c, h, w]);
  const weights = g.constant('int8', [m, c, 1, 1], bytes(rng, m * c, -127, 127));
  const wScale = perChannel ? g.constant('float32', [m], Array.from({ length: m }, () => scale(rng))) : g.scalar(scale(rng));
  const wZero = perChannel ? g.constant('int8', [m], new Array(m).fill(0)) : g.scalar(0, 'int8');
  const bias = g.constant('int32', [m], Array.from({ length: m }, () => (rng() < 0.2 ? pick(rng, [2147483647 - int(rng, 0, 500), -2147483648 + int(rng, 0, 500)]) : int(rng, -3000, 3000))));
  const [y] = g.node(
    'QLinearConv',
    [x, g.scalar(scale(rng) * 4), g.scalar(int(rng, act[0]!, act[1]!), dtype), weights, wScale, wZero, g.scalar(scale(rng) * 8), g.scalar(int(rng, act[0]!, act[1]!), dtype), bias],
    { kernel_shape: [1, 1], strides: [stride, stride] },
  );
  g.output(g.rename(y!, 'y'), dtype, []);
  return { path: g.save(), summary: `pointwise ${dtype} c${c} m${m} ${h}x${w} s${stride} ${perChannel ? 'per-channel' : 'per-tensor'}` };
}

/**
 * A depthwise convolution with channel multiplier 1 and weight zero point 0 (tg_conv_dw_s8):
 * channel counts around the 4-channel steps, windows up to 5x5 with strides, dilations and
 * padding, so both interior and border pixels occur, and biases near the int32 limits.
 */
export interface DepthwisePins {
  channels?: number;
  kernel?: [number, number];
  dilation?: [number, number];
  perChannel?: boolean;
}

/** `pins` fix what a test must reach (the 3x3 interior body, the MVE sixteen-channel block, per-channel constants). */
export function randomDepthwiseModel(rng: Rng, pins: DepthwisePins = {}): { path: string; summary: string } {
  const g = new GraphBuilder();
  const dtype = pick(rng, ['int8', 'uint8'] as const);
  const act = dtype === 'int8' ? [-128, 127] : [0, 255];
  const c = pins.channels ?? pick(rng, [2, 3, 4, 5, 8, 11, 16]);
  const [kh, kw] = pins.kernel ?? [int(rng, 1, 5), int(rng, 1, 5)];
  const [sh, sw] = [int(rng, 1, 2), int(rng, 1, 2)];
  const [dh, dw] = pins.dilation ?? [int(rng, 1, 2), int(rng, 1, 2)];
  const pads = [int(rng, 0, kh - 1), int(rng, 0, kw - 1), int(rng, 0, kh - 1), int(rng, 0, kw - 1)];
  const [h, w] = [int(rng, (kh - 1) * dh + 1, 10), int(rng, (kw - 1) * dw + 1, 10)];
  const perChannel = pins.perChannel ?? rng() < 0.5;
  const x = g.input('x', dtype, [1, c, h, w]);
  const weights = g.constant('int8', [c, 1, kh, kw], bytes(rng, c * kh * kw, -127, 127));
  const wScale = perChannel ? g.constant('float32', [c], Array.from({ length: c }, () => scale(rng))) : g.scalar(scale(rng));
  const wZero = perChannel ? g.constant('int8', [c], new Array(c).fill(0)) : g.scalar(0, 'int8');
  const bias = g.constant('int32', [c], Array.from({ length: c }, () => (rng() < 0.2 ? pick(rng, [2147483647 - int(rng, 0, 500), -2147483648 + int(rng, 0, 500)]) : int(rng, -3000, 3000))));
  const [y] = g.node(
    'QLinearConv',
    [x, g.scalar(scale(rng) * 4), g.scalar(int(rng, act[0]!, act[1]!), dtype), weights, wScale, wZero, g.scalar(scale(rng) * 8), g.scalar(int(rng, act[0]!, act[1]!), dtype), bias],
    { kernel_shape: [kh, kw], strides: [sh, sw], dilations: [dh, dw], pads, group: c },
  );
  g.output(g.rename(y!, 'y'), dtype, []);
  return { path: g.save(), summary: `depthwise ${dtype} c${c} ${h}x${w} k${kh}x${kw} s${sh}x${sw} d${dh}x${dw} p[${pads}] ${perChannel ? 'per-channel' : 'per-tensor'}` };
}

export function randomMaxPoolModel(rng: Rng): { path: string; summary: string } {
  const g = new GraphBuilder();
  const dtype = pick(rng, ['int8', 'uint8'] as const);
  const [kh, kw] = [int(rng, 1, 3), int(rng, 1, 3)];
  const pads = [int(rng, 0, kh - 1), int(rng, 0, kw - 1), int(rng, 0, kh - 1), int(rng, 0, kw - 1)];
  const attrs = { kernel_shape: [kh, kw], strides: [int(rng, 1, 3), int(rng, 1, 3)], dilations: [int(rng, 1, 2), int(rng, 1, 2)], pads, ceil_mode: int(rng, 0, 1) };
  const [c, h, w] = [int(rng, 1, 5), int(rng, 5, 10), int(rng, 5, 10)];
  const x = g.input('x', dtype, [1, c, h, w]);
  const [y] = g.node('MaxPool', [x], attrs);
  g.output(g.rename(y!, 'y'), dtype, []);
  return { path: g.save(), summary: `${dtype} c${c} ${h}x${w} ${JSON.stringify(attrs)}` };
}

export function randomMatMulModel(rng: Rng): { path: string; summary: string } {
  const g = new GraphBuilder();
  const dtype = pick(rng, ['int8', 'uint8'] as const);
  const act = dtype === 'int8' ? [-128, 127] : [0, 255];
  const [batch, m, k, n] = [int(rng, 1, 3), int(rng, 1, 4), int(rng, 1, 40), int(rng, 1, 12)];
  const perColumn = rng() < 0.5;
  const a = g.input('a', dtype, [batch, m, k]);
  const b = g.constant(dtype, [k, n], bytes(rng, k * n, act[0], act[1]));
  const bScale = perColumn ? g.constant('float32', [n], Array.from({ length: n }, () => scale(rng))) : g.scalar(scale(rng));
  const bZeroValues = Array.from({ length: perColumn ? n : 1 }, () => int(rng, act[0]!, act[1]!));
  const bZero = perColumn ? g.constant(dtype, [n], bZeroValues) : g.scalar(bZeroValues[0]!, dtype);
  const [y] = g.node('QLinearMatMul', [a, g.scalar(scale(rng)), g.scalar(int(rng, act[0]!, act[1]!), dtype), b, bScale, bZero, g.scalar(scale(rng) * 16), g.scalar(int(rng, act[0]!, act[1]!), dtype)]);
  g.output(g.rename(y!, 'y'), dtype, []);
  return { path: g.save(), summary: `${dtype} [${batch},${m},${k}]x[${k},${n}] ${perColumn ? 'per-column' : 'per-tensor'}` };
}
