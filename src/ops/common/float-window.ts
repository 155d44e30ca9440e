/**
 * N-D window geometry of the float32 pools (FloatAveragePool, FloatMaxPool) on NCHW tensors with
 * 1, 2 or 3 spatial axes, as the ONNX spec (opset 19 and later) defines it:
 *
 * - span = (kernel - 1) * dilation + 1;
 * - NOTSET and VALID (pads 0): out = floor((in + pad_begin + pad_end - span) / stride) + 1, or with
 *   ceil_mode the ceiling, minus one when that last window would start inside the end padding
 *   ((out - 1) * stride >= in + pad_begin);
 * - SAME_UPPER and SAME_LOWER: out = ceil(in / stride) (ceil_mode does not apply); the total
 *   padding max(0, (out - 1) * stride + span - in) is split with the smaller half at the begin
 *   (SAME_UPPER) or at the end (SAME_LOWER).
 *
 * Window o of an axis starts at o * stride - pad_begin, its taps dilation apart. The resolved
 * geometry is lifted to 3 spatial axes [d, h, w] (leading axes of size 1) for the kernels.
 */
import { UserError } from '../../errors.ts';
import type { Node } from '../../ir/graph.ts';

export const FLOAT_WINDOW_AXES = 3;

/** Resolved geometry, every list over 3 spatial axes [d, h, w]. */
export interface FloatWindowParams {
  /** N * C: the planes pooled one by one. */
  planes: number;
  inSize: number[];
  outSize: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  padBegin: number[];
  padEnd: number[];
}

/** Checks the node's window against its NCHW input shape and resolves it (auto_pad into explicit pads). */
export function resolveFloatWindow(node: Node, inputShape: readonly number[]): FloatWindowParams & { outShape: number[] } {
  const fail = (why: string): never => {
    throw new UserError(`node '${node.name}' (${node.op}): input [${inputShape}]: ${why}`);
  };
  const kernel = node.attrs.kernel_shape as number[];
  const rank = kernel.length;
  if (rank < 1 || rank > FLOAT_WINDOW_AXES) fail(`only 1-D, 2-D and 3-D windows are supported (kernel_shape [${kernel}])`);
  if (inputShape.length !== rank + 2) fail(`a ${rank}-D window needs an input of rank ${rank + 2}`);
  const list = (name: string, fill: number, length: number): number[] => {
    const v = (node.attrs[name] as number[] | undefined) ?? new Array<number>(length).fill(fill);
    if (v.length !== length) fail(`${name} [${v}] must have ${length} values`);
    return v;
  };
  const strides = list('strides', 1, rank);
  const dilations = list('dilations', 1, rank);
  let pads = list('pads', 0, 2 * rank);
  if ([...kernel, ...strides, ...dilations].some((v) => v < 1) || pads.some((v) => v < 0)) {
    fail('kernel_shape, strides and dilations must be >= 1 and pads >= 0');
  }
  const input = inputShape.slice(2);
  const autoPad = node.attrs.auto_pad as string;
  const ceil = node.attrs.ceil_mode === 1;
  const output: number[] = [];
  if (autoPad === 'VALID') pads = new Array<number>(2 * rank).fill(0);
  for (let d = 0; d < rank; d++) {
    const span = (kernel[d]! - 1) * dilations[d]! + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const out = Math.ceil(input[d]! / strides[d]!);
      const total = Math.max(0, (out - 1) * strides[d]! + span - input[d]!);
      const small = Math.floor(total / 2);
      pads[d] = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[d + rank] = total - pads[d]!;
      output.push(out);
      continue;
    }
    const room = input[d]! + pads[d]! + pads[d + rank]! - span;
    if (room < 0) fail(`the window (kernel_shape [${kernel}], dilations [${dilations}], pads [${pads}]) does not fit`);
    let out = (ceil ? Math.ceil(room / strides[d]!) : Math.floor(room / strides[d]!)) + 1;
    if (ceil && (out - 1) * strides[d]! >= input[d]! + pads[d]!) out -= 1;
    output.push(out);
  }
  const lift = (v: number[], fill: number) => [...new Array<number>(FLOAT_WINDOW_AXES - rank).fill(fill), ...v];
  return {
    planes: inputShape[0]! * inputShape[1]!,
    inSize: lift(input, 1),
    outSize: lift(output, 1),
    kernel: lift(kernel, 1),
    strides: lift(strides, 1),
    dilations: lift(dilations, 1),
    padBegin: lift(pads.slice(0, rank), 0),
    padEnd: lift(pads.slice(rank), 0),
    outShape: [inputShape[0]!, inputShape[1]!, ...output],
  };
}

/** The C initializer of a tg_float_pool_t (see tinygen_kernels.h), with its trailing mode field. */
export function floatPoolInitializer(p: FloatWindowParams, countIncludePad: number): string {
  const triple = (v: number[]) => `{ ${v.join(', ')} }`;
  return `{ ${[p.planes, ...[p.inSize, p.outSize, p.kernel, p.strides, p.dilations, p.padBegin, p.padEnd].map(triple), countIncludePad].join(', ')} }`;
}

/**
 * The taps of window `o` along one axis: [first, last) tap indices inside the input, and the count
 * inside the padded extent [-pad_begin, in + pad_end) (the count_include_pad divisor's factor).
 */
export function axisTaps(p: FloatWindowParams, axis: number, o: number): { first: number; last: number; padded: number } {
  const start = o * p.strides[axis]! - p.padBegin[axis]!;
  const dil = p.dilations[axis]!;
  const k = p.kernel[axis]!;
  const inSize = p.inSize[axis]!;
  let first = 0;
  let last = 0;
  let padded = 0;
  let seen = false;
  for (let t = 0; t < k; t++) {
    const pos = start + t * dil;
    if (pos >= -p.padBegin[axis]! && pos < inSize + p.padEnd[axis]!) padded++;
    if (pos >= 0 && pos < inSize) {
      if (!seen) first = t;
      seen = true;
      last = t + 1;
    }
  }
  return { first, last, padded };
}

export type AxisTaps = ReturnType<typeof axisTaps>;

/**
 * Visits each output window of a pool in output order ([plane][d][h][w]): `reduce` gets the
 * input offsets of the window's in-bounds taps (depth, row, column ascending) and each axis's
 * taps, and returns the output value.
 */
export function poolWindows(p: FloatWindowParams & { planes: number; outSize: number[] }, out: Float32Array, reduce: (offsets: number[], axes: [AxisTaps, AxisTaps, AxisTaps]) => number): void {
  const [inD, inH, inW] = p.inSize as [number, number, number];
  const [outD, outH, outW] = p.outSize as [number, number, number];
  const [dilD, dilH, dilW] = p.dilations as [number, number, number];
  const [strD, strH, strW] = p.strides as [number, number, number];
  const [padD, padH, padW] = p.padBegin as [number, number, number];
  let o = 0;
  for (let plane = 0; plane < p.planes; plane++) {
    const base = plane * inD * inH * inW;
    for (let od = 0; od < outD; od++) {
      const td = axisTaps(p, 0, od);
      for (let oh = 0; oh < outH; oh++) {
        const th = axisTaps(p, 1, oh);
        for (let ow = 0; ow < outW; ow++) {
          const tw = axisTaps(p, 2, ow);
          const offsets: number[] = [];
          for (let kd = td.first; kd < td.last; kd++) {
            const id = od * strD - padD + kd * dilD;
            for (let kh = th.first; kh < th.last; kh++) {
              const ih = oh * strH - padH + kh * dilH;
              for (let kw = tw.first; kw < tw.last; kw++) offsets.push(base + (id * inH + ih) * inW + ow * strW - padW + kw * dilW);
            }
          }
          out[o++] = reduce(offsets, [td, th, tw]);
        }
      }
    }
  }
}
