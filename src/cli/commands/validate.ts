import { textTable } from '../../report/table.ts';
import { IO_PLACEMENTS, OPTIMIZE_GOALS, type IoPlacement, type OptimizeGoal } from '../../ops/op.ts';
import { writeOutputFile } from '../../util/output-files.ts';
import os from 'node:os';
import { basename } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { ValidateReport } from '../../validate/validate.ts';
import { ROUNDING_MODES, type RoundingMode } from '../../numerics/requantize.ts';
import { DEFAULT_TIMEOUT_MS, describeMismatch, runMatrix, type CellReport, type MatrixReport } from '../../validate/matrix.ts';
import { matrixJunit } from '../../validate/junit.ts';
import { UserError } from '../../errors.ts';
import { ARENA_OPTION_TEXT, BIND_OPTION, WEIGHTS_OPTION_TEXT, formatBytes, printJson, progressReporter, IO_OPTION_TEXT, OPTIMIZE_OPTION_TEXT, type Progress } from '../output.ts';
import { parseBindings } from '../../frontend/bindings.ts';
import { ARENA_PLACEMENTS, type ArenaPlacement } from '../../codegen/api.ts';
import { WEIGHTS_PLACEMENTS, type WeightsPlacement } from '../../codegen/weights-blob.ts';
import { describeFirstDivergence } from '../../validate/trace.ts';
import { matrixProgress, type MatrixProgress } from '../matrix-progress.ts';

interface ValidateArgs {
  models: string[];
  board: string[];
  inputs: string;
  rounding?: string[];
  io: IoPlacement;
  optimize: OptimizeGoal;
  bind?: string[];
  seed: number;
  jobs?: number;
  keep?: string;
  timeout: number;
  json: boolean;
  reportJson?: string;
  junit?: string;
  trace: boolean;
  arena: ArenaPlacement;
  weights: WeightsPlacement;
  cflags?: string;
}

export function printValidateReport(report: ValidateReport): void {
  const seconds = (report.wallMs / 1000).toFixed(2);
  console.log(`${report.passed ? 'PASS' : 'FAIL'} ${report.model} on ${report.board} (rounding ${report.rounding})`);
  console.log(`  inputs:         ${report.inputs}`);
  console.log(`  bytes compared: ${report.bytesCompared}`);
  console.log(`  mismatches:     ${report.mismatchCount}`);
  console.log(`  wall time:      ${seconds} s`);
  console.log(`  firmware:       flash ${formatBytes(report.firmware.flashBytes)}, RAM ${formatBytes(report.firmware.ramBytes)} (model arena ${formatBytes(report.firmware.arenaBytes)})`);
  if (report.failure) console.log(`  failure:        ${report.failure}`);
  for (const m of report.mismatches) {
    console.log(`  mismatch: input ${m.input}, output ${m.output}, byte ${m.byte}: expected ${m.expected}, actual ${m.actual}`);
  }
  if (report.mismatchCount > report.mismatches.length) console.log(`  ... and ${report.mismatchCount - report.mismatches.length} more`);
  if (report.firstDivergence) for (const line of describeFirstDivergence(report.firstDivergence, report.board)) console.log(`  ${line}`);
}

/** One cell in the format of printValidateReport (a one-cell run prints just this). */
function printCell(cell: CellReport): void {
  console.log(`${cell.passed ? 'PASS' : 'FAIL'} ${cell.model} on ${cell.board} (rounding ${cell.rounding})`);
  console.log(`  inputs:         ${cell.inputs}`);
  console.log(`  bytes compared: ${cell.bytesCompared}`);
  console.log(`  mismatches:     ${cell.mismatchCount}`);
  console.log(`  wall time:      ${(cell.wallMs / 1000).toFixed(2)} s`);
  if (cell.firmware) {
    const f = cell.firmware;
    console.log(`  firmware:       flash ${formatBytes(f.flashBytes)}, RAM ${formatBytes(f.ramBytes)} (model arena ${formatBytes(f.arenaBytes)})`);
  }
  if (cell.failure) console.log(`  failure:        ${cell.failure}`);
  for (const m of cell.mismatches) console.log(`  mismatch: ${describeMismatch(m)}`);
  if (cell.mismatchCount > cell.mismatches.length) console.log(`  ... and ${cell.mismatchCount - cell.mismatches.length} more`);
  if (cell.firstDivergence) for (const line of describeFirstDivergence(cell.firstDivergence, cell.board)) console.log(`  ${line}`);
}

function kib(n: number | null): string {
  return n === null ? '-' : `${(n / 1024).toFixed(1)} KiB`;
}

/** The summary table of a matrix, then the failures in detail, then the totals. */
export function printMatrixReport(report: MatrixReport): void {
  // Models by file name, unless two of them share one.
  const shown = new Map(report.models.map((m) => [m, report.models.filter((x) => basename(x) === basename(m)).length > 1 ? m : basename(m)]));
  const modelName = (c: CellReport) => shown.get(c.model) ?? c.model;
  const header = ['model', 'board', 'rounding', 'result', 'inputs', 'bytes', 'mismatches', 'flash', 'RAM', 'time'];
  const rows = report.cells.map((c) => [
    modelName(c),
    c.board,
    c.rounding,
    c.passed ? 'PASS' : `FAIL (${c.failureKind ?? 'error'})`,
    String(c.inputs),
    String(c.bytesCompared),
    String(c.mismatchCount),
    kib(c.flashBytes),
    kib(c.ramBytes),
    `${(c.wallMs / 1000).toFixed(1)} s`,
  ]);
  console.log(textTable({ header, rows, numeric: new Set([4, 5, 6, 7, 8, 9]) }));

  const failed = report.cells.filter((c) => !c.passed);
  if (failed.length > 0) {
    console.log('');
    for (const c of failed) {
      console.log(`FAIL ${modelName(c)} on ${c.board} (${c.rounding}): ${c.failure ?? 'failed'}`);
      // After a crash or a timeout, the bytes never written are not worth listing one by one.
      const listed = c.mismatches.filter((m) => m.actual >= 0).slice(0, 5);
      for (const m of listed) console.log(`  mismatch: ${describeMismatch(m)}`);
      if (listed.length > 0 && c.mismatchCount > listed.length) console.log(`  ... and ${c.mismatchCount - listed.length} more`);
      if (c.firstDivergence) for (const line of describeFirstDivergence(c.firstDivergence, c.board)) console.log(`  ${line}`);
    }
  }
  const { cells, passed } = report.summary;
  console.log('');
  console.log(
    `${cells} cell${cells === 1 ? '' : 's'} (${report.models.length} model${report.models.length === 1 ? '' : 's'} × ${report.boards.length} board${report.boards.length === 1 ? '' : 's'}` +
      // Rounding modes are a factor only when every model ran in each (--rounding given): by default
      // each model runs in its own format's mode, and TFLite and ONNX models together show two.
      `${report.roundings.length > 1 && cells === report.models.length * report.boards.length * report.roundings.length ? ` × ${report.roundings.length} rounding modes` : ''}): ${passed} passed, ${cells - passed} failed; ` +
      `wall time ${(report.wallMs / 1000).toFixed(1)} s with ${report.jobs} job${report.jobs === 1 ? '' : 's'}`,
  );
}

/** --board a --board b,c: the boards, each repeated value split at its commas. */
function boardList(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** Checked here, not by yargs' choices, which would print the whole help before the error: a bad mode is one line, as every bad input is. */
function roundingModes(values: readonly string[]): RoundingMode[] {
  return values.map((name) => {
    if (!(ROUNDING_MODES as readonly string[]).includes(name)) {
      throw new UserError(`--rounding: unknown mode "${name}"; expected ${ROUNDING_MODES.join(' or ')}`);
    }
    return name as RoundingMode;
  });
}


export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <models..>',
  describe:
    'Compile, build firmware, run it under QEMU, and compare every output byte with the reference interpreter; ' +
    'several models and boards run as a matrix, in parallel',
  builder: (yargs: Argv) =>
    yargs
      .positional('models', { type: 'string', array: true, demandOption: true, describe: 'the models: ONNX (.onnx) or TFLite (.tflite)' })
      .option('board', {
        alias: 'b',
        type: 'string',
        array: true,
        nargs: 1,
        default: ['mps2-an386'],
        coerce: boardList,
        describe: 'board id (see boards/) or path to a board .json; repeat it, or separate with commas, for several; "all" = every board with a QEMU machine',
      })
      .option('inputs', { alias: 'n', type: 'string', default: '10', describe: 'how many random inputs, or a file of raw input records' })
      .option('rounding', {
        type: 'string',
        array: true,
        nargs: 1,
        describe: `requantization mode (${ROUNDING_MODES.join(', ')}; default: the model's); repeat it for several`,
      })
      .option('io', { choices: IO_PLACEMENTS, default: 'caller' as IoPlacement, describe: IO_OPTION_TEXT })
      .option('arena', { choices: ARENA_PLACEMENTS, default: 'static' as ArenaPlacement, describe: ARENA_OPTION_TEXT })
      .option('weights', { choices: WEIGHTS_PLACEMENTS, default: 'embedded' as WeightsPlacement, describe: WEIGHTS_OPTION_TEXT })
      .option('optimize', { choices: OPTIMIZE_GOALS, default: 'balanced' as OptimizeGoal, describe: OPTIMIZE_OPTION_TEXT })
      .option('bind', BIND_OPTION)
      .option('seed', { type: 'number', default: 1, describe: 'seed of the random inputs' })
      .option('jobs', { alias: 'j', type: 'number', describe: `cells run at once (default: the number of CPUs, ${os.availableParallelism()})` })
      .option('keep', { type: 'string', describe: "keep the build (sources, ELF, map, records) in this directory; with several cells, each in a directory of its own under it" })
      .option('timeout', { type: 'number', default: DEFAULT_TIMEOUT_MS / 1000, describe: 'seconds before a hung firmware is killed (per cell)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the matrix report as JSON' })
      .option('report-json', { type: 'string', describe: 'write the matrix report (every cell) as JSON to this file' })
      .option('trace', {
        type: 'boolean',
        default: true,
        describe: 'after a mismatch, rerun the first mismatching input with every layer output captured (host C and board) and name the first layer that differs from the reference (--no-trace: skip)',
      })
      .option('cflags', {
        type: 'string',
        describe: "extra compiler flags for the firmware (model, harness and kernels), after tinygen's own, which they override: check your project's flags, e.g. --cflags='-O3 -ffp-contract=fast'",
      })
      .option('junit', { type: 'string', describe: 'write a JUnit XML report to this file (one testsuite per board, one testcase per cell)' })
      .example('$0 validate model.onnx --board mps2-an386 --inputs 20', 'exit 0 only if every output byte matches')
      .example('$0 validate a.onnx b.onnx --board all --junit report.xml', 'every model on every emulated board, in parallel') as Argv<ValidateArgs>,
  handler: async (args: ArgumentsCamelCase<ValidateArgs>) => {
    // A count, or a file of records; a number that is not a positive count is a mistake, not a file name.
    if (/^[-+]?\d+(\.\d*)?$/.test(args.inputs) && !(/^\d+$/.test(args.inputs) && Number(args.inputs) > 0)) {
      throw new UserError(`--inputs: expected a positive whole number of random inputs, or a file of input records; got ${args.inputs}`);
    }
    const inputs = /^\d+$/.test(args.inputs) ? Number(args.inputs) : args.inputs;
    if (!(args.timeout > 0)) throw new UserError(`--timeout: expected a positive number of seconds, got ${args.timeout}`);
    if (args.jobs !== undefined && (!Number.isInteger(args.jobs) || args.jobs < 1)) {
      throw new UserError(`--jobs: expected a positive whole number, got ${args.jobs}`);
    }
    let progress: MatrixProgress | undefined;
    let single: Progress | undefined;
    let report: MatrixReport;
    try {
      report = await runMatrix({
        models: args.models.map(String),
        boards: args.board,
        roundings: args.rounding?.length ? roundingModes(args.rounding) : undefined,
        io: args.io,
        arena: args.arena,
        weights: args.weights,
        optimize: args.optimize,
        bound: parseBindings(args.bind),
        inputs,
        seed: args.seed,
        jobs: args.jobs,
        keepDir: args.keep,
        timeoutMs: args.timeout * 1000,
        trace: args.trace,
        ...(args.cflags?.trim() ? { cflags: args.cflags.trim().split(/\s+/) } : {}),
        onStart: (cells) => {
          // One cell: the stages, on a terminal, as before. Several: the matrix display.
          // One cell: its stages (also in a CI log) and, on a terminal, its inferences as they run.
          if (cells.length === 1) single = progressReporter(!args.json, true);
          else progress = matrixProgress(cells.length);
        },
        onCellStart: (cell) => progress?.onCellStart(cell),
        onCellProgress: (cell, text, stage) => (progress ? progress.onCellProgress(cell, text, stage) : single?.(text)),
        onCellDone: (cell, cellReport, done, total) => progress?.onCellDone(cell, cellReport, done, total),
        onCellInference: (_cell, done, total) => single?.inferences(done, total),
      });
    } finally {
      progress?.finish();
    }
    if (args.reportJson) writeOutputFile(args.reportJson, `${JSON.stringify(report, null, 2)}\n`);
    if (args.junit) writeOutputFile(args.junit, matrixJunit(report));
    if (args.json) printJson(report);
    else if (report.cells.length === 1) printCell(report.cells[0]!);
    else printMatrixReport(report);
    if (!report.passed) process.exitCode = 1;
  },
};
