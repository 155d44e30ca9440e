/**
 * The compiler front to back: load a model, lower it, and (optionally) generate C. Commands
 * and tests enter here so every path runs the same stages.
 */
import { basename, extname } from 'node:path';
import { loadOnnxBytes, type InputBindings, type LoadedModel } from './frontend/onnx/load.ts';
import { isTfliteModel, loadTfliteBytes } from './frontend/tflite/load.ts';
import { readModelFile } from './frontend/read-model.ts';
import { lower, type Lowered } from './passes/index.ts';
import { generateModel, type GeneratedModel } from './codegen/generate.ts';
import type { RoundingMode } from './numerics/requantize.ts';
import type { IoPlacement, OptimizeGoal } from './ops/op.ts';
import type { Graph } from './ir/graph.ts';
import { cIdentifier } from './codegen/c-literals.ts';
import { UserError } from './errors.ts';

export interface CompileRequest {
  modelPath: string;
  /** Defaults to 'tflite' for TFLite models, 'onnx' for ONNX models. */
  rounding?: RoundingMode;
  /** C symbol prefix; defaults to the model's file name. */
  name?: string;
  bindings?: InputBindings;
  /** Accept float32 ops (for ONNX's float conformance tests); tinygen's product path is integer-only. */
  allowFloat?: boolean;
  /** Where inputs and outputs live (see IoPlacement); 'caller' by default. */
  io?: IoPlacement;
  /** What the memory planner favours (see OptimizeGoal); 'balanced' by default. */
  optimize?: OptimizeGoal;
  /** See CompileOptions.lineBuffer. */
  lineBuffer?: boolean;
}

export interface Compiled extends Lowered {
  sha256: string;
  modelPath: string;
  name: string;
  rounding: RoundingMode;
  io: IoPlacement;
  optimize: OptimizeGoal;
  /** The graph as imported, before the passes (the report lowers it for the other --optimize goals). */
  imported: Graph;
}

export function defaultName(modelPath: string): string {
  return cIdentifier(basename(modelPath, extname(modelPath)).toLowerCase());
}

export function compileModel(request: CompileRequest): Compiled {
  const bytes = readModelFile(request.modelPath);
  const tflite = isTfliteModel(bytes, request.modelPath);
  const loaded: LoadedModel = tflite
    ? loadTfliteBytes(bytes, request.modelPath)
    : loadOnnxBytes(bytes, request.modelPath, { bindings: request.bindings, allowFloat: request.allowFloat });
  // Each format defaults to the arithmetic of its own runtime: TFLM for TFLite, ONNX Runtime for ONNX.
  const rounding = request.rounding ?? (tflite ? 'tflite' : 'onnx');
  const io = request.io ?? 'caller';
  const optimize = request.optimize ?? 'balanced';
  const lowered = withModelPath(request.modelPath, () => lower(loaded.graph, { rounding, io, optimize, ...(request.lineBuffer === false ? { lineBuffer: false } : {}) }));
  return { ...lowered, sha256: loaded.sha256, modelPath: request.modelPath, name: request.name ?? defaultName(request.modelPath), rounding, io, optimize, imported: loaded.graph };
}

/** A refusal raised past import names the model file first, as the loaders' own do. */
function withModelPath<T>(modelPath: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof UserError && !error.message.startsWith(modelPath)) throw new UserError(`${modelPath}: ${error.message}`);
    throw error;
  }
}

export function generate(compiled: Compiled): GeneratedModel {
  return withModelPath(compiled.modelPath, () =>
    generateModel(compiled, {
      name: compiled.name,
      sha256: compiled.sha256,
      source: basename(compiled.modelPath),
      rounding: compiled.rounding,
      io: compiled.io,
    }),
  );
}
