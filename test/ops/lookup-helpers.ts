/**
 * Shared by the QLinearLookup and QLinearSoftmax tests: models with a chosen opset, and
 * reference-vs-ONNX Runtime comparisons over given inputs.
 */
import onnxProto from 'onnx-proto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphBuilder } from '../helpers/onnx-builder.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import type { RoundingMode } from '../../src/numerics/requantize.ts';
import type { Value } from '../../src/ops/op.ts';
import { runOrt } from '../helpers/ort.ts';

/** Saves the builder's model with ai.onnx at `opset` (the builder writes 13). */
export function saveWithOpset(g: GraphBuilder, opset: number): string {
  const model = onnxProto.onnx.ModelProto.decode(g.encode());
  model.opsetImport = model.opsetImport.map((o) => (o.domain === '' ? { ...o, version: opset } : o));
  const path = join(mkdtempSync(join(tmpdir(), 'tinygen-model-')), 'model.onnx');
  writeFileSync(path, onnxProto.onnx.ModelProto.encode(model).finish());
  return path;
}

export interface Comparison {
  elements: number;
  mismatches: number;
  /** Mismatches by more than 1. */
  beyondOne: number;
  maxDiff: number;
  first?: string;
}

export function emptyComparison(): Comparison {
  return { elements: 0, mismatches: 0, beyondOne: 0, maxDiff: 0 };
}

/** Runs one input through the reference and ONNX Runtime and adds the differences to `into`. */
export async function compareWithOrt(modelPath: string, rounding: RoundingMode, input: Value, into: Comparison, label = ''): Promise<void> {
  const compiled = compileModel({ modelPath, rounding });
  const ours = runReference(compiled.graph, [input]).outputs[0]!.data as ArrayLike<number>;
  const theirs = (await runOrt(modelPath, compiled.graph.inputs, [input]))[0]!.data as ArrayLike<number>;
  if (ours.length !== theirs.length) throw new Error(`${label}: ${ours.length} elements vs ONNX Runtime's ${theirs.length}`);
  for (let i = 0; i < ours.length; i++) {
    into.elements++;
    const d = Math.abs(ours[i]! - theirs[i]!);
    if (d === 0) continue;
    into.mismatches++;
    if (d > 1) into.beyondOne++;
    into.maxDiff = Math.max(into.maxDiff, d);
    into.first ??= `${label} element ${i}: input ${input.data[i]}, tinygen ${ours[i]}, ONNX Runtime ${theirs[i]}`;
  }
}

/** Every value of the type, once: [256]. */
export function allValues(dtype: 'int8' | 'uint8'): Value {
  const data = dtype === 'int8' ? Int8Array.from({ length: 256 }, (_, i) => i - 128) : Uint8Array.from({ length: 256 }, (_, i) => i);
  return { dtype, shape: [256], data };
}
