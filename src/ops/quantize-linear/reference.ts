import type { Graph } from '../../ir/graph.ts';
import { quantizedRange } from '../../ir/graph.ts';
import { clamp, roundHalfAway, roundHalfEven } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import type { AffineParams } from '../common/affine.ts';
import { outputValue } from '../common/values.ts';

/**
 * y = saturate(round(fround(x / scale)) + zero_point), rounding half to even (ONNX) or, with
 * attrs.ties_away_from_zero (TFLite's QUANTIZE), half away from zero; NaN becomes the zero point.
 */
export function referenceQuantizeLinear(node: PreparedNode<AffineParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const round = node.attrs.ties_away_from_zero ? roundHalfAway : roundHalfEven;
  const out = outputValue(graph, node);
  const [lo, hi] = quantizedRange(out.dtype)!;
  const input = x!.data as Float32Array;
  let i = 0;
  for (let o = 0; o < p.outer; o++)
    for (let a = 0; a < p.axis; a++)
      for (let k = 0; k < p.inner; k++, i++) {
        const scaled = Math.fround(input[i]! / p.scale[a]!);
        const zp = p.zeroPoint[a]!;
        out.data[i] = Number.isNaN(scaled) ? clamp(zp, lo, hi) : clamp(round(clamp(scaled, lo - zp, hi - zp)) + zp, lo, hi);
      }
  return [out];
}
