/**
 * tinygen validate: compile a model, build the firmware for a board, run it under QEMU on many
 * inputs, and compare every output byte with the reference interpreter.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { loadBoard } from '../boards/board.ts';
import { checkFits } from '../boards/fits.ts';
import { buildFirmware, HARNESS_MAIN } from '../toolchain/build.ts';
import { runFirmware } from '../toolchain/qemu.ts';
import { describeExitStatus, parseHarnessStdout } from '../toolchain/harness.ts';
import { KERNELS_DIR, kernelSources } from '../toolchain/host.ts';
import { compileModel, generate } from '../pipeline.ts';
import { generateHarnessAdapter } from '../codegen/harness.ts';
import { runReference } from '../reference/interpreter.ts';
import type { RoundingMode } from '../numerics/requantize.ts';
import type { ApiTensor } from '../codegen/api.ts';
import { randomInputs, readRecordFile, recordBytes, recordToValues, seededRandom, valuesToRecord } from './records.ts';

export interface ValidateOptions {
  modelPath: string;
  board: string;
  /** A count of random inputs, or a file of raw input records. */
  inputs: number | string;
  rounding?: RoundingMode;
  seed?: number;
  name?: string;
  /** Keep the build in this directory instead of a temporary one. */
  keepDir?: string;
  timeoutMs?: number;
  onProgress?: (stage: string) => void;
  /** Test seam: edits the generated sources before the build (e.g. to prove a wrong constant is caught). */
  mutateSources?: (files: Map<string, string>) => void;
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
}

const MAX_LISTED = 20;

function compare(expected: Uint8Array[], actual: Uint8Array, outputs: ApiTensor[]): { count: number; listed: Mismatch[] } {
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

  progress('compiling');
  const compiled = compileModel({ modelPath: options.modelPath, rounding: options.rounding, name: options.name });
  const generated = generate(compiled);
  progress(`checking that it fits ${board.id}`);
  checkFits(board, [generated], `model ${options.modelPath}`);
  const inRecord = recordBytes(generated.inputs);

  const records =
    typeof options.inputs === 'string'
      ? readRecordFile(options.inputs, inRecord)
      : (() => {
          const random = seededRandom(options.seed ?? 1);
          return Array.from({ length: options.inputs }, () => valuesToRecord(randomInputs(compiled.graph, random)));
        })();
  progress(`running the reference on ${records.length} inputs`);
  const expected = records.map((r) => valuesToRecord(runReference(compiled.graph, recordToValues(compiled.graph, compiled.graph.inputs, r)).outputs));

  const workDir = options.keepDir ? resolve(options.keepDir) : mkdtempSync(join(tmpdir(), 'tinygen-validate-'));
  mkdirSync(workDir, { recursive: true });
  try {
    const files = new Map([...generated.files, ...generateHarnessAdapter(compiled.name, generated)]);
    options.mutateSources?.(files);
    for (const [file, text] of files) writeFileSync(join(workDir, file), text);
    progress(`building firmware for ${board.id}`);
    const build = await buildFirmware({
      board,
      sources: [...kernelSources(), join(workDir, `${compiled.name}_model.c`), join(workDir, 'harness_model.c'), HARNESS_MAIN],
      includeDirs: [workDir, KERNELS_DIR],
      outDir: workDir,
    });
    writeFileSync(join(workDir, 'inputs.bin'), Buffer.concat(records));
    rmSync(join(workDir, 'outputs.bin'), { force: true });
    progress(`running ${records.length} inferences under QEMU (${board.qemu.machine})`);
    const run = await runFirmware({
      board,
      elfPath: build.elfPath,
      args: ['inputs.bin', 'outputs.bin'],
      cwd: workDir,
      timeoutMs: options.timeoutMs ?? 120_000,
    });
    let actual = new Uint8Array();
    try {
      actual = new Uint8Array(readFileSync(join(workDir, 'outputs.bin')));
    } catch {
      // reported below as a failure of the run
    }
    const failure = run.timedOut
      ? `firmware did not finish within ${options.timeoutMs ?? 120_000} ms`
      : run.exitCode !== 0
        ? `firmware exited with status ${run.exitCode ?? run.signal} (${describeExitStatus(run.exitCode)})${run.stderr.trim() ? `: ${run.stderr.trim().split('\n')[0]}` : ''}`
        : actual.length !== records.length * recordBytes(generated.outputs)
          ? `firmware wrote ${actual.length} output bytes, expected ${records.length * recordBytes(generated.outputs)}`
          : undefined;
    const failureKind = run.timedOut ? 'timeout' : run.exitCode !== 0 ? 'crash' : failure !== undefined ? 'output' : undefined;
    const { count, listed } = compare(expected, actual, generated.outputs);
    const { ticks } = parseHarnessStdout(run.stdout);
    const { text, data, bss } = build.sizes;
    return {
      model: options.modelPath,
      board: board.id,
      rounding: compiled.rounding,
      passed: failure === undefined && count === 0,
      inputs: records.length,
      bytesCompared: expected.reduce((s, e) => s + e.length, 0),
      mismatchCount: count,
      mismatches: listed,
      ...(failure ? { failure, failureKind } : {}),
      wallMs: Math.round(performance.now() - started),
      firmware: { flashBytes: text + data, ramBytes: data + bss, text, data, bss, arenaBytes: generated.arenaBytes },
      ticks,
    };
  } finally {
    if (!options.keepDir) rmSync(workDir, { recursive: true, force: true });
  }
}
