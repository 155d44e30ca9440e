import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { clamp } from '../../numerics/requantize.ts';
import { outputValue } from '../common/values.ts';
import type { MaxPoolParams } from './definition.ts';

/** Maximum over the window's in-bounds taps (padding never wins); int16 then clamps to the activation range. */
export function referenceMaxPool(node: PreparedNode<MaxPoolParams>, [x]: Value[], graph: Graph): Value[] {
  const g = node.params;
  const input = x!.data as Int8Array | Int16Array;
  const out = outputValue(graph, node);
  // TFLM starts an int16 window from the type's minimum, so an empty one would give -32768.
  const lowest = g.int16 ? -32768 : -128;
  let o = 0;
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outH; oy++)
      for (let ox = 0; ox < g.outW; ox++)
        for (let c = 0; c < g.inC; c++) {
          let best = lowest;
          for (let ky = 0; ky < g.kH; ky++) {
            const iy = oy * g.strideH - g.padTop + ky * g.dilH;
            if (iy < 0 || iy >= g.inH) continue;
            for (let kx = 0; kx < g.kW; kx++) {
              const ix = ox * g.strideW - g.padLeft + kx * g.dilW;
              if (ix < 0 || ix >= g.inW) continue;
              best = Math.max(best, input[((b * g.inH + iy) * g.inW + ix) * g.inC + c]!);
            }
          }
          out.data[o++] = g.int16 ? clamp(best, g.int16.actMin, g.int16.actMax) : best;
        }
  return [out];
}
