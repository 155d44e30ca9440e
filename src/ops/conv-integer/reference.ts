import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { constantData, outputValue } from '../common/values.ts';
import { forEachConvSum } from '../common/conv-accumulate.ts';
import type { ConvIntegerParams } from './definition.ts';

/** NHWC grouped convolution to int32: acc = sum (x - zx)(w - zw), wrapping in int32. */
export function referenceConvInteger(node: PreparedNode<ConvIntegerParams>, [x]: Value[], graph: Graph): Value[] {
  const out = outputValue(graph, node);
  forEachConvSum(node.params, x!.data as Int8Array, constantData(graph, node.inputs[1]!) as Int8Array, (o, _oc, acc) => {
    out.data[o] = acc;
  });
  return [out];
}
