/**
 * ONNX Runtime as the independent oracle (onnxruntime-node, a dev dependency installed with
 * ignore-scripts). Runs a model file with default optimizations on CPU, single-threaded so
 * results do not depend on the machine.
 */
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import ort from 'onnxruntime-node';
import type { Value } from '../../src/ops/op.ts';
import type { DType } from '../../src/ir/graph.ts';

const ORT_TYPES: Partial<Record<DType, ort.Tensor.Type>> = { int8: 'int8', uint8: 'uint8', int32: 'int32', float32: 'float32' };

export async function runOrt(modelPath: string, inputNames: readonly string[], inputs: readonly Value[]): Promise<Value[]> {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'] });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    inputs.forEach((v, i) => {
      feeds[inputNames[i]!] = new ort.Tensor(ORT_TYPES[v.dtype]!, v.data as Int8Array, v.shape);
    });
    const results = await session.run(feeds);
    return session.outputNames.map((name) => {
      const t = results[name]!;
      return { dtype: t.type as DType, shape: [...t.dims], data: t.data as Int8Array };
    });
  } finally {
    await session.release();
  }
}

export type OrtKernel = 'qlinear-uint8' | 'qlinear-int8' | 'float';

/**
 * Which kernel ONNX Runtime runs for a QDQ pattern around `opType`, read from the model it writes
 * after its optimizations (CPU, one thread): its com.microsoft QLinear<opType> in uint8 or int8 (by
 * the type of the zero point at input `zeroPointInput`), or 'float' when it left the pattern unfused.
 */
export async function ortKernel(modelPath: string, opType: string, zeroPointInput: number): Promise<OrtKernel> {
  const optimized = `${modelPath}.ort.onnx`;
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
    optimizedModelFilePath: optimized,
    logSeverityLevel: 3,
  } as ort.InferenceSession.SessionOptions);
  await session.release();
  const graph = onnxProto.onnx.ModelProto.decode(readFileSync(optimized)).graph!;
  const qlinear = graph.node!.find((n) => n.domain === 'com.microsoft' && n.opType === `QLinear${opType}`);
  if (!qlinear) return 'float';
  const zp = graph.initializer!.find((t) => t.name === qlinear.input![zeroPointInput]);
  return zp?.dataType === onnxProto.onnx.TensorProto.DataType.UINT8 ? 'qlinear-uint8' : 'qlinear-int8';
}
