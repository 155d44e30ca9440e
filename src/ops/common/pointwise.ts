/**
 * The int8 matrix-product kernel tg_conv_1x1_s8_<mode> (firmware/kernels/tg_conv_1x1.c), shared by
 * pointwise convolutions and fully connected layers (QGemm, QLinearMatMul with one constant B):
 * output pixel p, channel c = requant(bias'[c] + sum_i x[p][i] w[c][i]), where the input zero
 * point is folded into the bias here, at compile time: bias' = bias - zx * sum_i w[c][i],
 * wrapping in int32 as the kernel's sums do.
 */
import type { Requant } from '../../numerics/requantize.ts';
import type { EmitContext, SpecialisedKernel } from '../op.ts';
import { channelRequantInitializer } from './emit.ts';

export interface PointwiseLayer {
  /** NHWC geometry of the input and output; a matrix of m rows is 1 x m pixels. */
  batch: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  strideH: number;
  strideW: number;
  inChannels: number;
  outChannels: number;
  /** [outChannels][inChannels]. */
  weights: Int8Array;
  bias?: ArrayLike<number>;
  inZeroPoint: number;
  requant: Requant;
}

/**
 * bias[c] - zeroPoint * sum of channel c's weights, wrapping in int32 as the kernels' sums do;
 * `weightOf(c, t)` reads tap t of channel c's `taps` weights, in whatever order they are stored.
 */
export function foldedBias(channels: number, taps: number, weightOf: (c: number, t: number) => number, bias: ArrayLike<number> | undefined, zeroPoint: number): Int32Array {
  return Int32Array.from({ length: channels }, (_, c) => {
    let sum = 0;
    for (let t = 0; t < taps; t++) sum += weightOf(c, t);
    return ((bias ? bias[c]! : 0) - Math.imul(zeroPoint, sum)) | 0;
  });
}

/** The layer's tg_conv_1x1_t, declared through ctx with its weights and folded bias. */
export function pointwiseParams(ctx: EmitContext, layer: PointwiseLayer): string {
  const { inChannels: k, outChannels: n, weights } = layer;
  const folded = foldedBias(n, k, (c, i) => weights[c * k + i]!, layer.bias, layer.inZeroPoint);
  const geometry = [layer.batch, layer.inH, layer.inW, k, layer.outH, layer.outW, n, layer.strideH, layer.strideW];
  return ctx.constStruct(
    'pointwise',
    'tg_conv_1x1_t',
    `{ ${geometry.join(', ')}, ${ctx.constArray('weights', 'int8_t', weights)}, ${ctx.constArray('bias', 'int32_t', folded)}, ${channelRequantInitializer(ctx, layer.requant)} }`,
  );
}

/**
 * The C call, with its constants declared through ctx. With `temp` (scratch of 2 * outChannels
 * bytes) the layer runs in place (tg_conv_1x1_in_place): the planner put the input inside the
 * output's memory, where that kernel expects it.
 */
export function emitPointwise(ctx: EmitContext, layer: PointwiseLayer, input: string, output: string, temp?: string): string {
  const params = pointwiseParams(ctx, layer);
  if (temp !== undefined) {
    return ctx.specialised(kernelOf('tg_conv_1x1_in_place', layer.requant.mode, 'tg_conv_1x1.h'), params, [
      { declaration: 'const int8_t *input', name: 'input', value: input },
      { declaration: 'int8_t *output', name: 'output', value: output },
      { declaration: 'int8_t *temp', name: 'temp', value: `(int8_t *)${temp}` },
    ]);
  }
  return ctx.specialised(kernelOf('tg_conv_1x1', layer.requant.mode), params, [
    { declaration: 'const int8_t *input', name: 'input', value: input },
    { declaration: 'int8_t *output', name: 'output', value: output },
  ]);
}

/**
 * A kernel of the library whose body (`<kernel>_body` in `<kernel>.h`) generated code instantiates
 * per layer; `<kernel>_s8_<mode>` is the library's own instance.
 */
export function kernelOf(kernel: string, mode: Requant['mode'], header = `${kernel}.h`): SpecialisedKernel {
  return { header, body: `${kernel}_body`, library: `${kernel}_s8_${mode}`, mode: mode === 'tflite' ? 'TG_ROUND_TFLITE' : 'TG_ROUND_ONNX' };
}

/** A matrix product of `rows` rows as a pointwise layer over 1 x rows pixels. */
export function matrixLayer(rows: number, k: number, n: number): Pick<PointwiseLayer, 'batch' | 'inH' | 'inW' | 'outH' | 'outW' | 'strideH' | 'strideW' | 'inChannels' | 'outChannels'> {
  return { batch: 1, inH: 1, inW: rows, outH: 1, outW: rows, strideH: 1, strideW: 1, inChannels: k, outChannels: n };
}
