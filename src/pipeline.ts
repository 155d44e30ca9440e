/**
 * The compiler front to back: load a model, lower it, and (optionally) generate C. Commands
 * and tests enter here so every path runs the same stages.
 */
import type { ArenaPlacement } from './codegen/api.ts';
import type { WeightsPlacement } from './codegen/weights-blob.ts';
import { basename, extname } from 'node:path';
import { loadOnnxBytes, type InputBindings, type LoadedModel } from './frontend/onnx/load.ts';
import type { BoundValues } from './frontend/bindings.ts';
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
  /** ONNX graph inputs bound to constant tensors of their own (the ONNX conformance runner's test data). */
  bindings?: InputBindings;
  /** Graph inputs bound to values of their own type and shape (--bind), in either format. */
  bound?: BoundValues;
  /** Accept float32 ops (for ONNX's float conformance tests); tinygen's product path is integer-only. */
  allowFloat?: boolean;
  /** Where inputs and outputs live (see IoPlacement); 'caller' by default. */
  io?: IoPlacement;
  /** Where the arena lives (see ArenaPlacement); 'static' by default. */
  arena?: ArenaPlacement;
  /** Where the constants live (see WeightsPlacement); 'embedded' by default. */
  weights?: WeightsPlacement;
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
  arena: ArenaPlacement;
  weights: WeightsPlacement;
  optimize: OptimizeGoal;
  /** The graph as imported, before the passes (the report lowers it for the other --optimize goals). */
  imported: Graph;
}

/** The model file's name, made a C identifier; `_model` is added where the name alone is taken. */
export function defaultName(modelPath: string): string {
  const name = cIdentifier(basename(modelPath, extname(modelPath)).toLowerCase());
  return KEYWORDS.has(name) || fileNameTaken(name) !== undefined ? `${name}_model` : name;
}

/**
 * The model's files are <name>.c and <name>.h, so a name must not be a file that sits beside them
 * or that they include: a header called stdint.h would shadow the C library's wherever the output
 * folder is on the include path. Returns what the name would clash with.
 */
function fileNameTaken(name: string): string | undefined {
  if (C_STANDARD_HEADERS.has(name)) return `the C library's ${name}.h`;
  if (/^(tinygen|tg_)/.test(name)) return "tinygen's own kernel files (tinygen_*, tg_*)";
  if (HARNESS_FILES.has(name)) return `the ${name}.c that validation and measurement builds write beside the model`;
  return undefined;
}

const C_STANDARD_HEADERS = new Set(
  'assert complex ctype errno fenv float inttypes iso646 limits locale math setjmp signal stdalign stdarg stdatomic stdbit stdbool stdckdint stddef stdint stdio stdlib stdnoreturn string tgmath threads time uchar wchar wctype'.split(' '),
);
const HARNESS_FILES = new Set(['main', 'startup', 'harness_model', 'report_main']);

/** C and C++ keywords (C23's and C++20's included): a model name is a symbol prefix, and no prefix may read as one. */
const KEYWORDS = new Set(
  (
    'alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t char32_t class compl concept const ' +
    'const_cast consteval constexpr constinit continue co_await co_return co_yield decltype default delete do double dynamic_cast else enum ' +
    'explicit export extern false float for friend goto if inline int long mutable namespace new noexcept not not_eq nullptr operator or ' +
    'or_eq private protected public register reinterpret_cast requires restrict return short signed sizeof static static_assert ' +
    'static_cast struct switch template this thread_local throw true try typedef typeid typename typeof typeof_unqual union unsigned ' +
    'using virtual void volatile wchar_t while xor xor_eq'
  ).split(' '),
);

/** `--name`: a C identifier that is not a keyword and not reserved to the implementation (a leading underscore). */
function checkModelName(name: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    throw new UserError(`--name ${JSON.stringify(name)} is not usable as a C name: use letters, digits and underscores, starting with a letter`);
  }
  if (KEYWORDS.has(name)) throw new UserError(`--name ${JSON.stringify(name)} is a C or C++ keyword: choose another model name`);
  const clash = fileNameTaken(name);
  if (clash !== undefined) throw new UserError(`--name ${JSON.stringify(name)} would write ${name}.h and ${name}.c, which clash with ${clash}: choose another model name`);
}

export function compileModel(request: CompileRequest): Compiled {
  if (request.name !== undefined) checkModelName(request.name);
  const bytes = readModelFile(request.modelPath);
  const tflite = isTfliteModel(bytes, request.modelPath);
  const loaded: LoadedModel = tflite
    ? loadTfliteBytes(bytes, request.modelPath, request.bound)
    : loadOnnxBytes(bytes, request.modelPath, { bindings: request.bindings, ...(request.bound ? { boundValues: request.bound } : {}), allowFloat: request.allowFloat });
  // Each format defaults to the arithmetic of its own runtime: TFLM for TFLite, ONNX Runtime for ONNX.
  const rounding = request.rounding ?? (tflite ? 'tflite' : 'onnx');
  const io = request.io ?? 'caller';
  const optimize = request.optimize ?? 'balanced';
  const lowered = withModelPath(request.modelPath, () => lower(loaded.graph, { rounding, io, optimize, ...(request.lineBuffer === false ? { lineBuffer: false } : {}) }));
  return { ...lowered, sha256: loaded.sha256, modelPath: request.modelPath, name: request.name ?? defaultName(request.modelPath), rounding, io, arena: request.arena ?? 'static', weights: request.weights ?? 'embedded', optimize, imported: loaded.graph };
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
      arena: compiled.arena,
      weights: compiled.weights,
    }),
  );
}
