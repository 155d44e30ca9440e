import type { Graph, Node } from '../../ir/graph.ts';
import type { Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { SoftmaxTfliteParams } from '../qlinear-softmax/definition.ts';
import { softmaxTflite } from '../qlinear-softmax/reference.ts';

export function referenceTfliteSoftmax(node: Node, [x]: Value[], graph: Graph): Value[] {
  const out = outputValue(graph, node);
  softmaxTflite(node.params as SoftmaxTfliteParams, x!.data as Int8Array, out.data as Int8Array);
  return [out];
}
