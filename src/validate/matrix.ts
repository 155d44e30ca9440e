/**
 * The validation matrix: every model on every board (in every rounding mode asked for). Cells run
 * side by side, up to `jobs` at a time, each one validate() with a work directory of its own. A
 * cell that fails for any reason (a mismatch, a crash, a timeout, a build that does not compile or
 * link, a model that does not fit the board) is reported as failed, and the rest of the matrix
 * still runs. Bad input (an unknown board, a model that cannot be read or compiled) is found
 * before any cell starts, and is a UserError.
 */
import type { ArenaPlacement } from '../codegen/api.ts';
import type { WeightsPlacement } from '../codegen/weights-blob.ts';
import type { BoundValues } from '../frontend/bindings.ts';
import type { IoPlacement, OptimizeGoal } from '../ops/op.ts';
import { createFolder } from '../util/output-files.ts';
import os from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { listBoardIds, loadBoard, semihostingNeeded, type Board } from '../boards/board.ts';
import { compileModel, generate, type Compiled } from '../pipeline.ts';
import type { GeneratedModel } from '../codegen/generate.ts';
import type { RoundingMode } from '../numerics/requantize.ts';
import { TOOL_VERSION } from '../version.ts';
import { readRecordFile, recordBytes } from './records.ts';
import { validate, type Mismatch, type ValidateReport } from './validate.ts';
import type { FirstDivergence } from './trace.ts';
import type { ValidateStage } from './stage.ts';
import { mapInParallel } from '../toolchain/parallel.ts';

export interface MatrixCell {
  /** Position in the matrix (models, then boards, then rounding modes). */
  index: number;
  /** The model's path, as given. */
  model: string;
  /** The board's id. */
  board: string;
  rounding: RoundingMode;
  /** "model on board (rounding)", for messages. */
  label: string;
}

export interface MatrixOptions {
  models: readonly string[];
  /** Board ids or paths of board files; "all" stands for every board in boards/ that has a QEMU machine. */
  boards: readonly string[];
  /** Rounding modes; default: each model's default. */
  roundings?: readonly RoundingMode[];
  /** Where the models' inputs and outputs live (default 'caller'), for every cell. */
  io?: IoPlacement;
  /** Where the arena lives (ValidateOptions.arena). */
  arena?: ArenaPlacement;
  /** Where the constants live (ValidateOptions.weights). */
  weights?: WeightsPlacement;
  /** What the memory planner favours (default 'balanced'). */
  optimize?: OptimizeGoal;
  /** Graph inputs bound to compile-time values (--bind). */
  bound?: BoundValues;
  /** A count of random inputs, or a file of raw input records (the same for every cell). */
  inputs: number | string;
  seed?: number;
  /** Cells run at once; default: the number of CPUs. */
  jobs?: number;
  /** Per cell: QEMU is killed after this long and the cell fails. */
  timeoutMs?: number;
  /** Keep each cell's build in a directory of its own under this one (a one-cell matrix: in this one). */
  keepDir?: string;
  /** Called once the matrix is laid out (after the checks of the input), before any cell runs. */
  onStart?: (cells: readonly MatrixCell[], jobs: number) => void;
  onCellStart?: (cell: MatrixCell) => void;
  /** A cell's stage as it starts (compiling, building, running under QEMU): a line for people, and the stage. */
  onCellProgress?: (cell: MatrixCell, text: string, stage: ValidateStage) => void;
  onCellDone?: (cell: MatrixCell, report: CellReport, done: number, total: number) => void;
  /** A cell's inferences as its firmware finishes them (ValidateOptions.onInference). */
  onCellInference?: (cell: MatrixCell, done: number, total: number) => void;
  /** Test seam: edits one cell's generated sources before its build (see ValidateOptions). */
  mutateSources?: (cell: MatrixCell, files: Map<string, string>) => void;
  /** After a mismatch, name the first diverging layer (ValidateOptions.trace; default true). */
  trace?: boolean;
  /** Extra compiler flags for every cell's firmware (ValidateOptions.cflags). */
  cflags?: string[];
}

/**
 * Why a cell failed: `mismatch` (output bytes differ), `timeout` (QEMU killed at the timeout),
 * `crash` (the firmware faulted or exited non-zero), `output` (it wrote too few bytes), `build`
 * (the firmware did not compile or link), `error` (anything else: a model that does not fit the
 * board, missing tools, ...).
 */
export type FailureKind = 'mismatch' | 'timeout' | 'crash' | 'output' | 'build' | 'error';

export interface CellReport {
  model: string;
  board: string;
  rounding: RoundingMode;
  passed: boolean;
  /** Inferences compared (0 when the cell failed before running). */
  inputs: number;
  bytesCompared: number;
  mismatchCount: number;
  /** The first mismatches. */
  mismatches: Mismatch[];
  /** One line: why the cell failed. */
  failure?: string;
  failureKind?: FailureKind;
  /** The whole message of an error (e.g. the compiler's output), when it has more than one line. */
  failureDetails?: string;
  wallMs: number;
  /** Flash (text + data) and RAM (data + bss, including stack, heap and arena) of the firmware; null if it was not built. */
  flashBytes: number | null;
  ramBytes: number | null;
  firmware?: ValidateReport['firmware'];
  /** SysTick ticks per inference. */
  ticks?: number[];
  /** Where the cell's build was kept (--keep). */
  workDir?: string;
  /** After a mismatch: the first input that mismatched, traced layer by layer (see ValidateReport). */
  firstDivergence?: FirstDivergence;
}

export interface MatrixReport {
  tool: string;
  passed: boolean;
  summary: { cells: number; passed: number; failed: number };
  wallMs: number;
  jobs: number;
  inputs: number | string;
  seed: number;
  timeoutMs: number;
  models: string[];
  boards: string[];
  roundings: RoundingMode[];
  cells: CellReport[];
}

export const DEFAULT_TIMEOUT_MS = 120_000;

/** Boards from ids, paths and "all"; each must have a QEMU machine. Duplicates are dropped. */
export function resolveBoards(specs: readonly string[]): { spec: string; board: Board }[] {
  const out: { spec: string; board: Board }[] = [];
  const seen = new Set<string>();
  const names = specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new UserError('no board given (--board <id>, or --board all)');
  for (const name of names) {
    const found = name === 'all' ? qemuBoards() : [{ spec: name, board: loadBoard(name) }];
    for (const entry of found) {
      if (!entry.board.qemu) {
        throw new UserError(`board '${entry.board.id}' (${entry.board.file}) has no QEMU machine, so it can be built for but not validated`);
      }
      if (!entry.board.semihosting) throw new UserError(semihostingNeeded(entry.board));
      const key = resolve(entry.board.file);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(entry);
      }
    }
  }
  return out;
}

/** Every board in boards/ that QEMU emulates. */
export function qemuBoards(): { spec: string; board: Board }[] {
  const boards = listBoardIds()
    .map((id) => ({ spec: id, board: loadBoard(id) }))
    .filter((b) => b.board.qemu !== undefined && b.board.semihosting);
  if (boards.length === 0) throw new UserError('--board all: no board in boards/ has a QEMU machine');
  return boards;
}

interface CompiledModel {
  compiled: Compiled;
  generated: GeneratedModel;
}

/**
 * Compiles every model once per rounding mode, which checks that it can be read and compiled and
 * that an input file holds whole records for it; every cell of that model and rounding mode then
 * validates this one compilation on its board.
 */
function compileOnce(modelPath: string, rounding: RoundingMode | undefined, inputs: number | string, options: Pick<MatrixOptions, 'io' | 'arena' | 'weights' | 'optimize' | 'bound'>): CompiledModel {
  const compiled = compileModel({ modelPath, rounding, io: options.io, arena: options.arena, weights: options.weights, optimize: options.optimize, ...(options.bound ? { bound: options.bound } : {}) });
  const generated = generate(compiled);
  if (typeof inputs === 'string') readRecordFile(inputs, recordBytes(generated.inputs));
  return { compiled, generated };
}

interface PlannedCell extends MatrixCell {
  boardSpec: string;
  workDir?: string;
  compiled: CompiledModel;
}

/** Lays out the cells; throws a UserError for bad input before anything runs. */
function plan(options: MatrixOptions): { cells: PlannedCell[]; boards: Board[]; roundings: RoundingMode[] } {
  if (options.models.length === 0) throw new UserError('no model given');
  if (typeof options.inputs === 'number' && (!Number.isInteger(options.inputs) || options.inputs < 1)) {
    throw new UserError(`--inputs: expected a positive number of inputs or a file of input records, got ${options.inputs}`);
  }
  const models = [...new Map(options.models.map((m) => [resolve(m), m])).values()];
  const boards = resolveBoards(options.boards);
  const requested: (RoundingMode | undefined)[] = options.roundings?.length ? [...new Set(options.roundings)] : [undefined];
  const modelCompilations = models.map((model) => requested.map((r) => compileOnce(model, r, options.inputs, options)));

  const stems = models.map((m) => basename(m, extname(m)));
  const shown = models.map((m, i) => (stems.filter((s) => s === stems[i]).length > 1 ? m : basename(m)));
  const cells: PlannedCell[] = [];
  const dirs = new Set<string>();
  models.forEach((model, m) => {
    for (const { spec, board } of boards) {
      for (const compiled of modelCompilations[m]!) {
        const rounding = compiled.compiled.rounding;
        let workDir: string | undefined;
        if (options.keepDir) {
          const base = `${stems[m]}--${board.id}--${rounding}`.replace(/[^A-Za-z0-9._-]/g, '_');
          let name = base;
          for (let n = 2; dirs.has(name); n++) name = `${base}-${n}`;
          dirs.add(name);
          workDir = join(resolve(options.keepDir), name);
        }
        cells.push({
          index: cells.length,
          model,
          board: board.id,
          rounding,
          label: `${shown[m]} on ${board.id} (${rounding})`,
          boardSpec: spec,
          ...(workDir ? { workDir } : {}),
          compiled,
        });
      }
    }
  });
  // One cell keeps its build right in the directory given, as a single validation always has.
  if (options.keepDir && cells.length === 1) cells[0]!.workDir = resolve(options.keepDir);
  const roundings = [...new Set(modelCompilations.flat().map((c) => c.compiled.rounding))];
  return { cells, boards: boards.map((b) => b.board), roundings };
}

/** Runs the matrix. Never throws for a failing cell; throws a UserError for bad input. */
export async function runMatrix(options: MatrixOptions): Promise<MatrixReport> {
  const started = performance.now();
  const { cells, boards, roundings } = plan(options);
  const jobs = options.jobs ?? os.availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new UserError(`--jobs: expected a positive whole number, got ${jobs}`);
  if (options.keepDir) createFolder(options.keepDir);

  options.onStart?.(cells.map(publicCell), Math.min(jobs, cells.length));
  let done = 0;
  // runCell reports a failing cell and never throws, so every cell runs.
  const results = await mapInParallel(cells, jobs, async (cell) => {
    options.onCellStart?.(publicCell(cell));
    const report = await runCell(cell, options);
    done++;
    options.onCellDone?.(publicCell(cell), report, done, cells.length);
    return report;
  });

  const passed = results.filter((r) => r.passed).length;
  return {
    tool: `tinygen ${TOOL_VERSION}`,
    passed: passed === results.length,
    summary: { cells: results.length, passed, failed: results.length - passed },
    wallMs: Math.round(performance.now() - started),
    jobs: Math.min(jobs, cells.length),
    inputs: options.inputs,
    seed: options.seed ?? 1,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    models: [...new Set(cells.map((c) => c.model))],
    boards: boards.map((b) => b.id),
    roundings,
    cells: results,
  };
}

function publicCell(cell: PlannedCell): MatrixCell {
  return { index: cell.index, model: cell.model, board: cell.board, rounding: cell.rounding, label: cell.label };
}

async function runCell(cell: PlannedCell, options: MatrixOptions): Promise<CellReport> {
  const started = performance.now();
  let stage: ValidateStage | undefined;
  const base = { model: cell.model, board: cell.board, rounding: cell.rounding, ...(cell.workDir ? { workDir: cell.workDir } : {}) };
  try {
    const report = await validate({
      modelPath: cell.model,
      board: cell.boardSpec,
      inputs: options.inputs,
      rounding: cell.rounding,
      ...(options.io ? { io: options.io } : {}),
      ...(options.arena ? { arena: options.arena } : {}),
      ...(options.weights ? { weights: options.weights } : {}),
      ...(options.optimize ? { optimize: options.optimize } : {}),
      ...(options.bound ? { bound: options.bound } : {}),
      seed: options.seed,
      keepDir: cell.workDir,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      compiled: cell.compiled,
      onProgress: (text, s) => {
        stage = s;
        options.onCellProgress?.(publicCell(cell), text, s);
      },
      ...(options.onCellInference ? { onInference: (done: number, total: number) => options.onCellInference!(publicCell(cell), done, total) } : {}),
      ...(options.mutateSources ? { mutateSources: (files: Map<string, string>) => options.mutateSources!(publicCell(cell), files) } : {}),
      ...(options.trace === false ? { trace: false } : {}),
      ...(options.cflags ? { cflags: options.cflags } : {}),
    });
    const mismatchFailure = report.failure === undefined && report.mismatchCount > 0;
    return {
      ...base,
      passed: report.passed,
      inputs: report.inputs,
      bytesCompared: report.bytesCompared,
      mismatchCount: report.mismatchCount,
      mismatches: report.mismatches,
      ...(report.failure !== undefined ? { failure: report.failure, failureKind: report.failureKind ?? 'crash' } : {}),
      ...(mismatchFailure ? { failure: describeMismatches(report), failureKind: 'mismatch' as const } : {}),
      wallMs: report.wallMs,
      flashBytes: report.firmware.flashBytes,
      ramBytes: report.firmware.ramBytes,
      firmware: report.firmware,
      ticks: report.ticks,
      ...(report.firstDivergence ? { firstDivergence: report.firstDivergence } : {}),
    };
  } catch (err) {
    const { failure, details } = summarizeError(err);
    return {
      ...base,
      passed: false,
      inputs: 0,
      bytesCompared: 0,
      mismatchCount: 0,
      mismatches: [],
      failure,
      failureKind: stage === 'build' || stage === 'fit' ? 'build' : 'error',
      ...(details ? { failureDetails: details } : {}),
      wallMs: Math.round(performance.now() - started),
      flashBytes: null,
      ramBytes: null,
    };
  }
}

/** "3 of 120 output bytes differ; first: input 0, output 0, byte 5: expected 12, actual 13". */
export function describeMismatches(report: { mismatchCount: number; bytesCompared: number; mismatches: Mismatch[] }): string {
  const first = report.mismatches[0];
  const head = `${report.mismatchCount} of ${report.bytesCompared} output bytes differ`;
  return first ? `${head}; first: ${describeMismatch(first)}` : head;
}

export function describeMismatch(m: Mismatch): string {
  return `input ${m.input}, output ${m.output}, byte ${m.byte}: expected ${m.expected}, actual ${m.actual}`;
}

/** One line for a thrown error (for a compiler's output: its first line that says what went wrong), and the whole text. */
function summarizeError(err: unknown): { failure: string; details?: string } {
  const message = err instanceof Error ? err.message : String(err);
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0) return { failure: 'unknown error' };
  if (lines.length === 1) return { failure: lines[0]! };
  const rest = lines.slice(1).map((l) => l.replace(/^\S*\/(ld|collect2|cc1|arm-none-eabi-gcc):/, '$1:'));
  const key = [/overflowed by/, /\berror\b/i, /will not fit/, /undefined reference/].map((p) => rest.find((l) => p.test(l))).find((l) => l !== undefined) ?? rest[0]!;
  return { failure: `${lines[0]!.replace(/:$/, '')}: ${key}`, details: message };
}
