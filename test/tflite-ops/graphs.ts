/**
 * IR graphs of single TFLite-only ops (no ONNX form exists), lowered and compiled like a model,
 * for the reference interpreter and the host build.
 */
import type { AttrValue, Graph, Tensor } from '../../src/ir/graph.ts';
import { lower } from '../../src/passes/index.ts';
import type { Compiled } from '../../src/pipeline.ts';

export interface Quant {
  scale: number;
  zeroPoint: number;
}

export interface UnaryCase {
  op: 'TFLiteSoftmax' | 'TFLiteLogistic' | 'TFLiteTanh' | 'TFLiteLeakyRelu' | 'TFLiteHardSwish';
  shape: number[];
  x: Quant;
  y: Quant;
  attrs?: Record<string, AttrValue>;
}

const int8Tensor = (name: string, shape: number[], q: Quant): Tensor => ({
  name,
  dtype: 'int8',
  shape: [...shape],
  quant: { scale: [Math.fround(q.scale)], zeroPoint: [q.zeroPoint] },
});

/** One graph input and output per case: x<i> → op → y<i>. */
export function unaryGraph(cases: readonly UnaryCase[]): Graph {
  const graph: Graph = { name: 'tflite_ops', tensors: new Map(), nodes: [], inputs: [], outputs: [] };
  cases.forEach((c, i) => {
    graph.tensors.set(`x${i}`, int8Tensor(`x${i}`, c.shape, c.x));
    graph.tensors.set(`y${i}`, int8Tensor(`y${i}`, c.shape, c.y));
    graph.nodes.push({ name: `op${i}`, op: c.op, inputs: [`x${i}`], outputs: [`y${i}`], attrs: { ...c.attrs } });
    graph.inputs.push(`x${i}`);
    graph.outputs.push(`y${i}`);
  });
  return graph;
}

export function compileGraph(graph: Graph): Compiled {
  const lowered = lower(graph, { rounding: 'tflite' });
  return { ...lowered, sha256: '0'.repeat(64), modelPath: 'tflite_ops.tflite', name: 'tflite_ops', rounding: 'tflite' };
}
