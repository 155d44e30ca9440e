import type { Graph, Node } from '../../ir/graph.ts';
import type { Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { axisTaps } from '../common/float-window.ts';
import type { FloatMaxPoolParams } from './definition.ts';

/** The largest float32 value, the result of a window without any tap inside the input (ONNX Runtime's). */
const FLT_MAX = 3.4028234663852886e38;

/** The largest tap inside the input, from -infinity; a tap replaces it only when greater; -FLT_MAX for a window without any. */
export function referenceFloatMaxPool(node: Node, [x]: Value[], graph: Graph): Value[] {
  const p = node.params as FloatMaxPoolParams;
  const input = x!.data as Float32Array;
  const out = outputValue(graph, node);
  const y = out.data as Float32Array;
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
          let best = -Infinity;
          for (let kd = td.first; kd < td.last; kd++) {
            const id = od * strD - padD + kd * dilD;
            for (let kh = th.first; kh < th.last; kh++) {
              const ih = oh * strH - padH + kh * dilH;
              for (let kw = tw.first; kw < tw.last; kw++) {
                const v = input[base + (id * inH + ih) * inW + ow * strW - padW + kw * dilW]!;
                if (v > best) best = v;
              }
            }
          }
          y[o++] = td.last > td.first && th.last > th.first && tw.last > tw.first ? best : -FLT_MAX;
        }
      }
    }
  }
  return [out];
}
