/**
 * Random data-movement subgraphs for the tests: each `add*` adds one op (with its own graph
 * input and output) to a GraphBuilder, in one of its import forms, so a model can hold several
 * (one ONNX Runtime session or one host build checks them all).
 */
import type { GraphBuilder } from '../helpers/onnx-builder.ts';

export type Rng = () => number;
export type Form = 'plain' | 'qoperator' | 'qdq';
type Q = 'int8' | 'uint8';

export const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const scale = (rng: Rng) => Math.fround(2 ** -int(rng, 2, 8) * (1 + rng()));
const range = (t: Q) => (t === 'int8' ? ([-128, 127] as const) : ([0, 255] as const));

/** A quantization: sometimes the given one (a plain copy), sometimes a ratio that makes ties, else random. */
function quant(rng: Rng, t: Q, like?: [number, number]): [number, number] {
  const [lo, hi] = range(t);
  const r = rng();
  if (like && r < 0.3) return like;
  if (like && r < 0.5) return [Math.fround(like[0] * pick(rng, [0.5, 2, 1.5, 0.25, 4])), int(rng, lo, hi)];
  return [scale(rng), int(rng, lo, hi)];
}

export interface Added {
  output: string;
  summary: string;
}

function finish(g: GraphBuilder, y: string, name: string, t: string, summary: string): Added {
  const out = g.rename(y, name);
  g.output(out, t as Q, []);
  return { output: out, summary };
}

/** DequantizeLinear of x. */
function dq(g: GraphBuilder, x: string, t: Q, [s, z]: [number, number]): string {
  return g.node('DequantizeLinear', [x, g.scalar(s), g.scalar(z, t)])[0]!;
}

function q(g: GraphBuilder, x: string, t: Q, [s, z]: [number, number]): string {
  return g.node('QuantizeLinear', [x, g.scalar(s), g.scalar(z, t)])[0]!;
}

/** Concat of 1-3 inputs along a random axis (4-D half of the time). */
export function addConcat(g: GraphBuilder, rng: Rng, form: Form, tag: string): Added {
  const t: Q = pick(rng, ['int8', 'uint8']);
  const rank = rng() < 0.5 ? 4 : int(rng, 1, 3);
  const base = Array.from({ length: rank }, () => int(rng, 1, 4));
  const axis = int(rng, -rank, rank - 1);
  const count = int(rng, 1, 3);
  const yq = quant(rng, t);
  const inputs = Array.from({ length: count }, (_, i) => {
    const shape = [...base];
    shape[(axis + rank) % rank] = int(rng, 1, 4);
    return { name: g.input(`${tag}_x${i}`, t, shape), q: quant(rng, t, yq), shape };
  });
  let y: string;
  if (form === 'qoperator') {
    const args = [g.scalar(yq[0]), g.scalar(yq[1], t)];
    for (const x of inputs) args.push(x.name, g.scalar(x.q[0]), g.scalar(x.q[1], t));
    y = g.node('QLinearConcat', args, { axis }, { domain: 'com.microsoft' })[0]!;
  } else if (form === 'qdq') {
    y = q(g, g.node('Concat', inputs.map((x) => dq(g, x.name, t, x.q)), { axis })[0]!, t, yq);
  } else {
    y = g.node('Concat', inputs.map((x) => x.name), { axis })[0]!;
  }
  return finish(g, y, `${tag}_y`, t, `${form} Concat ${t} axis ${axis} of ${inputs.map((x) => `[${x.shape}]`).join(' ')}`);
}

export const PAD_MODES = ['constant', 'reflect', 'edge', 'wrap'] as const;

/** Pad with random pads (negative ones crop), mode, optional axes and constant value. */
export function addPad(g: GraphBuilder, rng: Rng, form: Exclude<Form, 'qoperator'>, tag: string, mode: (typeof PAD_MODES)[number] = pick(rng, PAD_MODES)): Added {
  const t: Q = pick(rng, ['int8', 'uint8']);
  const [lo, hi] = range(t);
  const rank = rng() < 0.5 ? 4 : int(rng, 1, 3);
  const shape = Array.from({ length: rank }, () => int(rng, 2, 5));
  const axes = rng() < 0.3 ? [...new Set(Array.from({ length: int(rng, 1, rank) }, () => int(rng, 0, rank - 1)))].map((a) => (rng() < 0.5 ? a - rank : a)) : undefined;
  const padded = axes ? axes.map((a) => (a + rank) % rank) : shape.map((_, i) => i);
  // Negative pads (crops) only at the beginning, so every axis keeps an element.
  const one = (a: number, crop: boolean) => (mode === 'wrap' ? int(rng, 0, shape[a]!) : mode === 'reflect' ? int(rng, crop ? -1 : 0, shape[a]! - 2) : int(rng, crop ? -1 : 0, 3));
  const pads = [...padded.map((a) => one(a, true)), ...padded.map((a) => one(a, false))];
  const x = g.input(`${tag}_x`, t, shape);
  const xq = quant(rng, t);
  const extra = (value: string) => (axes ? [value, g.constant('int64', [axes.length], axes)] : value ? [value] : []);
  let y: string;
  let valueKind = 'none';
  if (form === 'plain') {
    valueKind = mode === 'constant' && rng() < 0.6 ? 'raw' : 'none';
    const value = valueKind === 'raw' ? g.scalar(int(rng, lo, hi), t) : '';
    y = g.node('Pad', [x, g.constant('int64', [pads.length], pads), ...extra(value)], { mode })[0]!;
  } else {
    valueKind = mode === 'constant' ? pick(rng, ['none', 'dq', 'float']) : 'none';
    const value = valueKind === 'dq' ? dq(g, g.scalar(int(rng, lo, hi), t), t, xq) : valueKind === 'float' ? g.scalar(Math.fround((rng() - 0.5) * 8)) : '';
    y = q(g, g.node('Pad', [dq(g, x, t, xq), g.constant('int64', [pads.length], pads), ...extra(value)], { mode })[0]!, t, quant(rng, t, xq));
  }
  return finish(g, y, `${tag}_y`, t, `${form} Pad ${t} ${mode} [${shape}] pads [${pads}]${axes ? ` axes [${axes}]` : ''} value ${valueKind}`);
}

export const TRANSFORMS = ['half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn', 'tf_crop_and_resize'] as const;
export const NEAREST_MODES = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'] as const;
const SCALES = [0.5, 0.6, 0.75, 1, 1.5, 2, 2.5, 3, 1 / 3, 0.4, 1.25, 2 / 7];

/** Nearest Resize: random transformation and nearest modes, scales or sizes (with axes and policy). */
export function addResize(g: GraphBuilder, rng: Rng, form: Exclude<Form, 'qoperator'>, tag: string, transform: (typeof TRANSFORMS)[number] = pick(rng, TRANSFORMS)): Added {
  const t: Q = pick(rng, ['int8', 'uint8']);
  const rank = rng() < 0.7 ? 4 : int(rng, 1, 3);
  const shape = Array.from({ length: rank }, (_, i) => (rank === 4 && i < 2 ? int(rng, 1, 3) : int(rng, 1, 7)));
  const nearest = pick(rng, NEAREST_MODES);
  const axes = rank === 4 && rng() < 0.3 ? pick(rng, [[2, 3], [3, 2], [-1]]) : undefined;
  const along = axes ? axes.map((a) => (a + rank) % rank) : shape.map((_, i) => i);
  const spatial = (a: number) => rank !== 4 || a >= 2 || axes !== undefined;
  const bySizes = rng() < 0.5;
  const policy = bySizes && rng() < 0.3 ? pick(rng, ['not_larger', 'not_smaller']) : undefined;
  // Each resized axis ends with at least one element.
  const scales = along.map((a) => (spatial(a) ? pick(rng, SCALES.filter((s) => Math.trunc(Math.fround(s) * shape[a]!) >= 1)) : 1));
  // With a policy the common scale is one of these ratios: at least 1/2 keeps every axis non-empty.
  const sizes = along.map((a) => (spatial(a) ? int(rng, policy ? Math.ceil(shape[a]! / 2) : 1, 9) : shape[a]!));
  const attrs: Record<string, number | number[] | string | { float: number }> = { mode: 'nearest', coordinate_transformation_mode: transform, nearest_mode: nearest };
  if (axes) attrs.axes = axes;
  if (policy) attrs.keep_aspect_ratio_policy = policy;
  if (transform === 'tf_crop_and_resize' && rng() < 0.5) attrs.extrapolation_value = { float: Math.fround((rng() - 0.5) * 100) };
  const roi = transform === 'tf_crop_and_resize' ? g.constant('float32', [2 * along.length], [...along.map(() => rng() * 0.6 - 0.2), ...along.map(() => 0.5 + rng() * 0.7)]) : '';
  const x = g.input(`${tag}_x`, t, shape);
  const xq = quant(rng, t);
  const data = form === 'qdq' ? dq(g, x, t, xq) : x;
  const inputs = bySizes ? [data, roi, '', g.constant('int64', [sizes.length], sizes)] : [data, roi, g.constant('float32', [scales.length], scales)];
  let y = g.node('Resize', inputs, attrs)[0]!;
  if (form === 'qdq') y = q(g, y, t, quant(rng, t, xq));
  const how = bySizes ? `sizes [${sizes}]${policy ? ` ${policy}` : ''}` : `scales [${scales.map((s) => Math.fround(s).toPrecision(3))}]`;
  return finish(g, y, `${tag}_y`, t, `${form} Resize ${t} [${shape}] ${transform} ${nearest} ${how}${axes ? ` axes [${axes}]` : ''}`);
}

const VIEWS = ['Squeeze', 'Unsqueeze', 'Reshape', 'Flatten', 'Transpose', 'Identity'] as const;

/**
 * A view op, plain or between DequantizeLinear and QuantizeLinear (same quantization on both
 * sides: a view; different: a requantizing copy). Squeeze and Unsqueeze take their axes as an
 * attribute when `axesAsAttribute` (opset < 13), as an input otherwise.
 */
export function addView(g: GraphBuilder, rng: Rng, form: Exclude<Form, 'qoperator'>, tag: string, axesAsAttribute = false, op = pick(rng, VIEWS)): Added {
  const t: Q = pick(rng, ['int8', 'uint8']);
  const rank = int(rng, 2, 4);
  const shape = Array.from({ length: rank }, () => (rng() < 0.3 ? 1 : int(rng, 2, 4)));
  const x = g.input(`${tag}_x`, t, shape);
  const xq = quant(rng, t);
  const data = form === 'qdq' ? dq(g, x, t, xq) : x;
  const axesOf = (axes: number[]): [string[], Record<string, number[]>] => (axesAsAttribute ? [[], { axes }] : [[g.constant('int64', [axes.length], axes)], {}]);
  let y: string;
  let what = '';
  switch (op) {
    case 'Squeeze': {
      const ones = shape.flatMap((d, i) => (d === 1 ? [rng() < 0.5 ? i - rank : i] : []));
      const axes = ones.length > 0 && rng() < 0.7 ? ones.filter(() => rng() < 0.7) : [];
      const [extra, attrs] = axes.length > 0 ? axesOf(axes) : [[], {}];
      y = g.node('Squeeze', [data, ...extra], attrs)[0]!;
      what = `axes [${axes}]`;
      break;
    }
    case 'Unsqueeze': {
      const count = int(rng, 1, 2);
      const axes = [...new Set(Array.from({ length: count }, () => int(rng, -(rank + count), rank + count - 1)))].filter(
        (a, i, all) => all.findIndex((b) => (b + rank + count) % (rank + count) === (a + rank + count) % (rank + count)) === i,
      );
      const [extra, attrs] = axesOf(axes);
      y = g.node('Unsqueeze', [data, ...extra], attrs)[0]!;
      what = `axes [${axes}]`;
      break;
    }
    case 'Reshape': {
      const target = [shape.reduce((a, b) => a * b, 1)];
      y = g.node('Reshape', [data, g.constant('int64', [2], [-1, 1])])[0]!;
      what = `to [${target}, 1]`;
      break;
    }
    case 'Flatten': {
      const axis = int(rng, 0, rank);
      y = g.node('Flatten', [data], { axis })[0]!;
      what = `axis ${axis}`;
      break;
    }
    case 'Transpose': {
      const perm = shape.map((_, i) => i).sort(() => rng() - 0.5);
      y = g.node('Transpose', [data], { perm })[0]!;
      what = `perm [${perm}]`;
      break;
    }
    default:
      y = g.node('Identity', [data])[0]!;
  }
  const same = rng() < 0.5;
  if (form === 'qdq') y = q(g, y, t, same ? xq : quant(rng, t));
  return finish(g, y, `${tag}_y`, t, `${form} ${op} ${t} [${shape}] ${what}${form === 'qdq' ? (same ? ' same quantization' : ' requantized') : ''}`);
}
