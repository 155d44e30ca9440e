/**
 * IR graphs of single TFLite-only ops (no ONNX form exists), lowered and compiled like a model,
 * for the reference interpreter and the host build.
 */
import type { AttrValue, DType, Graph, Tensor } from '../../src/ir/graph.ts';
import { lower } from '../../src/passes/index.ts';
import type { Compiled } from '../../src/pipeline.ts';
import type { Value } from '../../src/ops/op.ts';
import type { HostModel } from '../../src/validate/host-model.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { valuesToRecord } from '../../src/validate/records.ts';
import { expect } from 'vitest';

export interface Quant {
  scale: number;
  zeroPoint: number;
}

export interface UnaryCase {
  op: 'TFLiteSoftmax' | 'TFLiteLogistic' | 'TFLiteTanh' | 'TFLiteLeakyRelu' | 'TFLiteHardSwish' | 'TFLiteRequantize';
  shape: number[];
  x: Quant;
  y: Quant;
  attrs?: Record<string, AttrValue>;
  /** int8 when not given. */
  xType?: DType;
  yType?: DType;
}

const quantizedTensor = (name: string, shape: number[], q: Quant, dtype: DType = 'int8'): Tensor => ({
  name,
  dtype,
  shape: [...shape],
  quant: { scale: [Math.fround(q.scale)], zeroPoint: [q.zeroPoint] },
});

/** One graph input and output per case: x<i> → op → y<i>. */
export function unaryGraph(cases: readonly UnaryCase[]): Graph {
  const graph: Graph = { name: 'tflite_ops', tensors: new Map(), nodes: [], inputs: [], outputs: [] };
  cases.forEach((c, i) => {
    graph.tensors.set(`x${i}`, quantizedTensor(`x${i}`, c.shape, c.x, c.xType));
    graph.tensors.set(`y${i}`, quantizedTensor(`y${i}`, c.shape, c.y, c.yType));
    graph.nodes.push({ name: `op${i}`, op: c.op, inputs: [`x${i}`], outputs: [`y${i}`], attrs: { ...c.attrs } });
    graph.inputs.push(`x${i}`);
    graph.outputs.push(`y${i}`);
  });
  return graph;
}

export function compileGraph(graph: Graph): Compiled {
  const lowered = lower(graph, { rounding: 'tflite' });
  return { ...lowered, sha256: '0'.repeat(64), modelPath: 'tflite_ops.tflite', name: 'tflite_ops', rounding: 'tflite', io: 'caller', arena: 'static', weights: 'embedded', optimize: 'balanced', imported: graph };
}

/**
 * Runs `host` on the records and counts output bytes that differ from the reference's; the count
 * is printed for the record, and the caller asserts it.
 */
export async function hostMismatches(compiled: Compiled, host: HostModel, values: readonly Value[][]): Promise<number> {
  const records = values.map((v) => valuesToRecord(v));
  const want = Buffer.concat(values.map((v) => valuesToRecord(runReference(compiled.graph, v).outputs)));
  const actual = await host.run(Buffer.concat(records));
  expect(actual.length).toBe(want.length);
  let mismatches = 0;
  for (let i = 0; i < want.length; i++) if (actual[i] !== want[i]) mismatches++;
  console.log(`C vs reference: ${want.length} bytes, ${mismatches} mismatches`);
  return mismatches;
}
