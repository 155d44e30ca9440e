import type { Graph } from '../../ir/graph.ts';
import { requantize } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { constantData, outputValue } from '../common/values.ts';
import { forEachConvSum } from '../common/conv-accumulate.ts';
import type { ConvParams } from './definition.ts';

/** NHWC grouped convolution: requantize(bias + sum (x - zx)(w - zw)), the sum wrapping in int32. */
export function referenceQLinearConv(node: PreparedNode<ConvParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const w = constantData(graph, node.inputs[1]!) as Int8Array;
  const bias = node.inputs[2] ? (constantData(graph, node.inputs[2]) as Int32Array) : undefined;
  const out = outputValue(graph, node);
  forEachConvSum(p, x!.data as Int8Array, w, (o, oc, acc) => {
    out.data[o] = requantize(p.requant, oc, (acc + (bias ? bias[oc]! : 0)) | 0);
  });
  return [out];
}
