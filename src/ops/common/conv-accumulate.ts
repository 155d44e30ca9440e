/** The convolution sum shared by QLinearConv and ConvInteger, in the C kernels' order. */
import type { WindowGeometry } from './window.ts';

export interface ConvSum {
  geometry: WindowGeometry;
  groups: number;
  inZeroPoint: number;
  weightZeroPoints: readonly number[];
  /** The weight is [1][k_h][k_w][out_c] (a depthwise layer's), not [out_c][k_h][k_w][in_c / groups]. */
  depthwiseWeights?: boolean;
  /** False: the exact sum (16x8 layers, which TFLM sums in int64); int32-wrapped otherwise. */
  wrap?: boolean;
}

/**
 * Calls `visit` for each output element of an NHWC grouped convolution, in output order, with
 * its output channel and acc = sum (x - zx)(w - zw) over the in-bounds taps (padding holds the
 * input zero point, so it contributes nothing), wrapped to int32 as the C's uint32 sum is (unless
 * p.wrap is false).
 * Weights are [out_c][k_h][k_w][in_c / groups], or [1][k_h][k_w][out_c] with p.depthwiseWeights.
 */
export function forEachConvSum(p: ConvSum, input: Int8Array | Int16Array, w: Int8Array, visit: (index: number, channel: number, acc: number) => void): void {
  const g = p.geometry;
  const inPerGroup = g.inC / p.groups;
  const outPerGroup = g.outC / p.groups;
  let o = 0;
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outH; oy++)
      for (let ox = 0; ox < g.outW; ox++)
        for (let oc = 0; oc < g.outC; oc++) {
          const firstIn = Math.floor(oc / outPerGroup) * inPerGroup;
          const zw = p.weightZeroPoints[oc]!;
          let acc = 0;
          for (let ky = 0; ky < g.kH; ky++) {
            const iy = oy * g.strideH - g.padTop + ky * g.dilH;
            if (iy < 0 || iy >= g.inH) continue;
            for (let kx = 0; kx < g.kW; kx++) {
              const ix = ox * g.strideW - g.padLeft + kx * g.dilW;
              if (ix < 0 || ix >= g.inW) continue;
              const pixel = ((b * g.inH + iy) * g.inW + ix) * g.inC + firstIn;
              if (p.depthwiseWeights) {
                acc += (input[pixel]! - p.inZeroPoint) * (w[(ky * g.kW + kx) * g.outC + oc]! - zw);
                continue;
              }
              const taps = ((oc * g.kH + ky) * g.kW + kx) * inPerGroup;
              for (let ic = 0; ic < inPerGroup; ic++) acc += (input[pixel + ic]! - p.inZeroPoint) * (w[taps + ic]! - zw);
            }
          }
          visit(o++, oc, p.wrap === false ? acc : acc | 0);
        }
}
