/**
 * ONNX backend node tests (model.onnx + test_data_set_N/{input,output}_K.pb). A compiler needs
 * scales and weights constant, so every graph input after the first is bound to its test data.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { Tensor } from '../ir/graph.ts';
import { readTensorProtoBytes } from '../frontend/onnx/tensor-proto.ts';
import type { InputBindings } from '../frontend/onnx/load.ts';

export interface OnnxTestCase {
  dir: string;
  name: string;
  modelPath: string;
  /** Graph inputs bound as constants (by name). */
  bindings: InputBindings;
  /** Per data set: the runtime input (graph input 0) and the expected outputs. */
  dataSets: { input: Tensor; outputs: Tensor[] }[];
}

function graphInputNames(modelPath: string): string[] {
  const model = onnxProto.onnx.ModelProto.decode(readFileSync(modelPath));
  const initializers = new Set((model.graph?.initializer ?? []).map((t) => t.name));
  return (model.graph?.input ?? []).map((i) => i.name ?? '').filter((n) => !initializers.has(n));
}

function numbered(dir: string, prefix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((a, b) => parseInt(a.slice(prefix.length), 10) - parseInt(b.slice(prefix.length), 10))
    .map((f) => join(dir, f));
}

export function readOnnxTestCase(dir: string): OnnxTestCase {
  const modelPath = join(dir, 'model.onnx');
  const inputNames = graphInputNames(modelPath);
  const setDirs = readdirSync(dir)
    .filter((d) => d.startsWith('test_data_set_'))
    .sort()
    .map((d) => join(dir, d));
  const bindings: InputBindings = new Map();
  const dataSets = setDirs.map((setDir) => {
    const inputs = numbered(setDir, 'input_').map((f) => readTensorProtoBytes(readFileSync(f), f));
    inputs.slice(1).forEach((t, i) => bindings.set(inputNames[i + 1]!, t));
    const outputs = numbered(setDir, 'output_').map((f) => readTensorProtoBytes(readFileSync(f), f));
    return { input: inputs[0]!, outputs };
  });
  return { dir, name: dir.split('/').pop()!, modelPath, bindings, dataSets };
}

export function isOnnxTestDir(dir: string): boolean {
  return existsSync(join(dir, 'model.onnx'));
}
