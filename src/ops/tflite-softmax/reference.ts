import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { SoftmaxTfliteParams } from '../qlinear-softmax/definition.ts';
import { softmaxTflite } from '../qlinear-softmax/reference.ts';

export function referenceTfliteSoftmax(node: PreparedNode<SoftmaxTfliteParams>, [x]: Value[], graph: Graph): Value[] {
  const out = outputValue(graph, node);
  softmaxTflite(node.params, x!.data as Int8Array, out.data as Int8Array);
  return [out];
}
