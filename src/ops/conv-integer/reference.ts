import type { Graph, Node } from '../../ir/graph.ts';
import type { Value } from '../op.ts';
import { constantData, outputValue } from '../common/values.ts';
import type { ConvIntegerParams } from './definition.ts';

/** NHWC grouped convolution to int32: acc = sum (x - zx)(w - zw); padding contributes nothing. */
export function referenceConvInteger(node: Node, [x]: Value[], graph: Graph): Value[] {
  const p = node.params as ConvIntegerParams;
  const g = p.geometry;
  const w = constantData(graph, node.inputs[1]!) as Int8Array;
  const out = outputValue(graph, node);
  const input = x!.data as Int8Array;
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
              const taps = ((oc * g.kH + ky) * g.kW + kx) * inPerGroup;
              for (let ic = 0; ic < inPerGroup; ic++) acc += (input[pixel + ic]! - p.inZeroPoint) * (w[taps + ic]! - zw);
            }
          }
          // Exact in a double; int32 wrapping, as the C's uint32 sum.
          out.data[o++] = acc | 0;
        }
  return [out];
}
