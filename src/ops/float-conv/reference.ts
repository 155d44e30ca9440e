import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { FloatConvParams } from './definition.ts';

const f = Math.fround;

/**
 * NCHW grouped convolution in float32 (definition.ts gives the order): per output, bias (or 0),
 * then acc = acc + x * w over input channels, kernel depth, rows and columns ascending, skipping
 * taps in the padding; one rounding per operation.
 */
export function referenceFloatConv(node: PreparedNode<FloatConvParams>, [xv, wv, bv]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const x = xv!.data as Float32Array;
  const w = wv!.data as Float32Array;
  const bias = bv?.data as Float32Array | undefined;
  const out = outputValue(graph, node);
  const y = out.data as Float32Array;
  const [inD, inH, inW] = p.inSize as [number, number, number];
  const [outD, outH, outW] = p.outSize as [number, number, number];
  const [kD, kH, kW] = p.kernel as [number, number, number];
  const inPerGroup = p.inC / p.groups;
  const outPerGroup = p.outC / p.groups;
  const inPlane = inD * inH * inW;
  const kSize = kD * kH * kW;
  let o = 0;
  for (let b = 0; b < p.batch; b++) {
    for (let oc = 0; oc < p.outC; oc++) {
      const firstIn = Math.floor(oc / outPerGroup) * inPerGroup;
      for (let od = 0; od < outD; od++) {
        for (let oh = 0; oh < outH; oh++) {
          for (let ow = 0; ow < outW; ow++) {
            let acc = bias ? bias[oc]! : 0;
            for (let ic = 0; ic < inPerGroup; ic++) {
              const xBase = (b * p.inC + firstIn + ic) * inPlane;
              const wBase = (oc * inPerGroup + ic) * kSize;
              for (let kd = 0; kd < kD; kd++) {
                const id = od * p.strides[0]! - p.padBegin[0]! + kd * p.dilations[0]!;
                if (id < 0 || id >= inD) continue;
                for (let kh = 0; kh < kH; kh++) {
                  const ih = oh * p.strides[1]! - p.padBegin[1]! + kh * p.dilations[1]!;
                  if (ih < 0 || ih >= inH) continue;
                  for (let kw = 0; kw < kW; kw++) {
                    const iw = ow * p.strides[2]! - p.padBegin[2]! + kw * p.dilations[2]!;
                    if (iw < 0 || iw >= inW) continue;
                    acc = f(acc + f(x[xBase + (id * inH + ih) * inW + iw]! * w[wBase + (kd * kH + kh) * kW + kw]!));
                  }
                }
              }
            }
            y[o++] = acc;
          }
        }
      }
    }
  }
  return [out];
}
