/**
 * ONNX Runtime as the independent oracle (onnxruntime-node, a dev dependency installed with
 * ignore-scripts). Runs a model file with default optimizations on CPU, single-threaded so
 * results do not depend on the machine.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import ort from 'onnxruntime-node';
import type { Value } from '../../src/ops/op.ts';
import type { DType } from '../../src/ir/graph.ts';

const ORT_TYPES: Partial<Record<DType, ort.Tensor.Type>> = { int8: 'int8', uint8: 'uint8', int16: 'int16', int32: 'int32', float32: 'float32' };

interface CachedSession {
  session: Promise<ort.InferenceSession>;
  /** Runs in flight: an evicted session is released only once it has none. */
  users: number;
  evicted: boolean;
}

/**
 * The last few sessions, by model path and file contents. The sweeps run input after input through
 * one model, and creating a session (parsing and optimizing the graph) costs far more than a run.
 * The key holds the bytes' hash, so a path rewritten with another model gets a session of its own.
 */
const sessions = new Map<string, CachedSession>();
const MAX_SESSIONS = 4;

function release(entry: CachedSession): void {
  entry.session.then((s) => s.release()).catch(() => {});
}

function acquire(modelPath: string): CachedSession {
  const key = `${modelPath}\0${createHash('sha256').update(readFileSync(modelPath)).digest('hex')}`;
  let entry = sessions.get(key);
  if (entry) {
    sessions.delete(key); // re-inserted below: most recently used last
  } else {
    const session = ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'] });
    entry = { session, users: 0, evicted: false };
    // A model ONNX Runtime refuses is not kept, so every call sees the refusal afresh.
    session.catch(() => sessions.get(key) === entry && sessions.delete(key));
  }
  sessions.set(key, entry);
  for (const [oldKey, old] of sessions) {
    if (sessions.size <= MAX_SESSIONS) break;
    sessions.delete(oldKey);
    old.evicted = true;
    if (old.users === 0) release(old);
  }
  return entry;
}

export async function runOrt(modelPath: string, inputNames: readonly string[], inputs: readonly Value[]): Promise<Value[]> {
  const entry = acquire(modelPath);
  entry.users++;
  try {
    const session = await entry.session;
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
    entry.users--;
    if (entry.evicted && entry.users === 0) release(entry);
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
