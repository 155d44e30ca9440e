/**
 * tinygen validate: compile a model, build the firmware for a board, run it under QEMU on many
 * inputs, and compare every output byte with the reference interpreter.
 */
import type { ArenaPlacement } from '../codegen/api.ts';
import type { WeightsPlacement } from '../codegen/weights-blob.ts';
import type { BoundValues } from '../frontend/bindings.ts';
import type { IoPlacement, OptimizeGoal } from '../ops/op.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { loadBoard } from '../boards/board.ts';
import { checkFits } from '../boards/fits.ts';
import { compileModel, generate, type Compiled } from '../pipeline.ts';
import type { GeneratedModel } from '../codegen/generate.ts';
import type { RoundingMode } from '../numerics/requantize.ts';
import type { ApiTensor } from '../codegen/api.ts';
import { runOnBoard } from './run-on-board.ts';
import type { ValidateStage } from './stage.ts';
import { randomRecords, readRecordFile, recordBytes, referenceRecords } from './records.ts';
import { traceFirstDivergence, type FirstDivergence } from './trace.ts';

export interface ValidateOptions {
  modelPath: string;
  board: string;
  /** A count of random inputs, or a file of raw input records. */
  inputs: number | string;
  rounding?: RoundingMode;
  /** Where the model's inputs and outputs live (default 'caller'). */
  io?: IoPlacement;
  /** Where the arena lives (default 'static'). */
  arena?: ArenaPlacement;
  /** Where the constants live (default 'embedded'; 'blob': the harness binds the blob first). */
  weights?: WeightsPlacement;
  /** What the memory planner favours (default 'balanced'). */
  optimize?: OptimizeGoal;
  /** Graph inputs bound to compile-time values (--bind). */
  bound?: BoundValues;
  seed?: number;
  name?: string;
  /** Keep the build in this directory instead of a temporary one. */
  keepDir?: string;
  timeoutMs?: number;
  /** Each stage as it starts: a line for people, and the stage. */
  onProgress?: (text: string, stage: ValidateStage) => void;
  /** Each inference as the firmware finishes it under QEMU: how many are done, of how many. */
  onInference?: (done: number, total: number) => void;
  /**
   * The model already compiled (with this rounding and name) and generated: the matrix compiles
   * each (model, rounding) once and validates it on every board.
   */
  compiled?: { compiled: Compiled; generated: GeneratedModel };
  /** Test seam: edits the generated sources before the build (e.g. to prove a wrong constant is caught). */
  mutateSources?: (files: Map<string, string>) => void;
  /**
   * After a mismatch, trace the first input that mismatched layer by layer on the host and on the
   * board, and name the first diverging layer (default true).
   */
  trace?: boolean;
  /** Compiler flags after the board's (which they override: -O3, -ffp-contract=fast), for the model, the harness and the kernels. */
  cflags?: string[];
}

export interface Mismatch {
  input: number;
  output: number;
  /** Byte offset inside that output tensor. */
  byte: number;
  expected: number;
  actual: number;
}

export interface ValidateReport {
  model: string;
  board: string;
  rounding: RoundingMode;
  passed: boolean;
  inputs: number;
  bytesCompared: number;
  mismatchCount: number;
  /** The first mismatches (at most MAX_LISTED). */
  mismatches: Mismatch[];
  /** Why the firmware run itself failed (crash, timeout), if it did. */
  failure?: string;
  /** What kind of run failure `failure` is: QEMU killed at the timeout, the firmware crashed or exited non-zero, or its output file is short. */
  failureKind?: 'timeout' | 'crash' | 'output';
  wallMs: number;
  firmware: { flashBytes: number; ramBytes: number; text: number; data: number; bss: number; arenaBytes: number };
  /** SysTick ticks per inference, as the harness measured them. */
  ticks: number[];
  /**
   * After a mismatch (not after a crash or timeout): the first input that mismatched, traced layer
   * by layer on the host C and on the board, each side's first layer that differs from the
   * reference, or why tracing failed. Absent when the outputs match.
   */
  firstDivergence?: FirstDivergence;
}

const MAX_LISTED = 20;

/** Every output byte against the reference: how many differ, and the first few. */
export function compareOutputs(expected: Uint8Array[], actual: Uint8Array, outputs: ApiTensor[]): { count: number; listed: Mismatch[] } {
  const recordSize = recordBytes(outputs);
  const listed: Mismatch[] = [];
  let count = 0;
  expected.forEach((want, input) => {
    let base = 0;
    outputs.forEach((tensor, output) => {
      for (let byte = 0; byte < tensor.bytes; byte++) {
        const a = actual[input * recordSize + base + byte];
        if (a !== want[base + byte]) {
          count++;
          if (listed.length < MAX_LISTED) listed.push({ input, output, byte, expected: want[base + byte]!, actual: a ?? -1 });
        }
      }
      base += tensor.bytes;
    });
  });
  return { count, listed };
}

export async function validate(options: ValidateOptions): Promise<ValidateReport> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const board = loadBoard(options.board);
  if (!board.qemu) throw new UserError(`board '${board.id}' has no QEMU machine, so it can be built for but not validated`);

  progress('compiling', 'compile');
  const { compiled, generated } = options.compiled ?? compileAndGenerate(options);
  progress(`checking that it fits ${board.id}`, 'fit');
  checkFits(board, [generated], `model ${options.modelPath}`);
  const inRecord = recordBytes(generated.inputs);

  const records = typeof options.inputs === 'string' ? readRecordFile(options.inputs, inRecord) : randomRecords(compiled.graph, options.inputs, options.seed ?? 1);
  progress(`running the reference on ${records.length} inputs`, 'reference');
  const expected = referenceRecords(compiled.graph, records);

  const workDir = options.keepDir ? resolve(options.keepDir) : mkdtempSync(join(tmpdir(), 'tinygen-validate-'));
  try {
    const timeoutMs = options.timeoutMs ?? 120_000;
    const { build, harness, outputs, failure } = await runOnBoard({
      name: compiled.name,
      generated,
      board,
      records,
      workDir,
      timeoutMs,
      onProgress: progress,
      ...(options.onInference ? { onInference: options.onInference } : {}),
      ...(options.mutateSources ? { mutateSources: options.mutateSources } : {}),
      ...(options.cflags ? { cflags: options.cflags } : {}),
    });
    const { count, listed } = compareOutputs(expected, outputs, generated.outputs);
    const { text, data, bss } = build.sizes;
    let firstDivergence: FirstDivergence | undefined;
    if (failure === undefined && count > 0 && listed[0] && options.trace !== false) {
      const input = listed[0].input;
      progress(`tracing input ${input} layer by layer on the host and on ${board.id}`, 'trace');
      try {
        firstDivergence = await traceFirstDivergence({
          compiled,
          generated,
          board,
          record: records[input]!,
          input,
          workDir,
          timeoutMs,
          ...(options.mutateSources ? { mutateSources: options.mutateSources } : {}),
          ...(options.cflags ? { cflags: options.cflags } : {}),
        });
      } catch (error) {
        // Diagnosis only: the mismatch verdict stands whatever happens here.
        const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        firstDivergence = { input, host: { layersCompared: 0, error: message }, board: { layersCompared: 0, error: message } };
      }
    }
    return {
      model: options.modelPath,
      board: board.id,
      rounding: compiled.rounding,
      passed: failure === undefined && count === 0,
      inputs: records.length,
      bytesCompared: expected.reduce((s, e) => s + e.length, 0),
      mismatchCount: count,
      mismatches: listed,
      ...(failure ? { failure: failure.message, failureKind: failure.kind } : {}),
      wallMs: Math.round(performance.now() - started),
      firmware: { flashBytes: text + data, ramBytes: data + bss, text, data, bss, arenaBytes: generated.arenaBytes },
      ticks: harness.ticks,
      ...(firstDivergence ? { firstDivergence } : {}),
    };
  } finally {
    if (!options.keepDir) rmSync(workDir, { recursive: true, force: true });
  }
}

function compileAndGenerate(options: ValidateOptions): { compiled: Compiled; generated: GeneratedModel } {
  const compiled = compileModel({ modelPath: options.modelPath, rounding: options.rounding, name: options.name, io: options.io, arena: options.arena, weights: options.weights, optimize: options.optimize, ...(options.bound ? { bound: options.bound } : {}) });
  return { compiled, generated: generate(compiled) };
}
