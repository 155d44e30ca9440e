/**
 * Builds the harness firmware for a compiled model and runs it under QEMU on input records: the
 * part of validation that benchmarks share. The firmware writes one output record per input.
 */
import { UserError } from '../errors.ts';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { semihostingNeeded, type Board } from '../boards/board.ts';
import { buildFirmware, type BuildResult } from '../toolchain/build.ts';
import { runFirmware, type RunResult } from '../toolchain/qemu.ts';
import { describeExitStatus, INFERENCE_LINE, parseHarnessStdout, type HarnessReport } from '../toolchain/harness.ts';
import { HARNESS_DIR, KERNELS_DIR } from '../toolchain/object-cache.ts';
import { generateHarnessAdapter } from '../codegen/harness.ts';
import { modelSourceFile, type GeneratedModel } from '../codegen/generate.ts';
import { recordBytes } from './records.ts';
import type { ValidateStage } from './stage.ts';

export interface BoardRunOptions {
  /** The model's C prefix. */
  name: string;
  generated: GeneratedModel;
  board: Board;
  records: Uint8Array[];
  /** Receives the sources, the build and the record files. */
  workDir: string;
  timeoutMs: number;
  /** -D flags for every source, e.g. TINYGEN_PROFILE. */
  defines?: Record<string, string>;
  /** Compiler flags after the board's (which they override: -O3, -ffp-contract=fast), for the model, the harness and the kernels. */
  cflags?: string[];
  /** Run under -icount shift=0 (deterministic instruction counts). */
  icount?: boolean;
  onProgress?: (text: string, stage: ValidateStage) => void;
  /** Each inference as the firmware finishes it: how many are done, of how many. */
  onInference?: (done: number, total: number) => void;
  /** Test seam: edits the generated sources before the build. */
  mutateSources?: (files: Map<string, string>) => void;
  /** Arguments after the two record files (a TINYGEN_TRACE build takes its trace file there, relative to workDir). */
  extraArgs?: string[];
}

export interface BoardRun {
  build: BuildResult;
  run: RunResult;
  harness: HarnessReport;
  /** Every output record the firmware wrote, concatenated. */
  outputs: Uint8Array;
  /** Why the run failed, if it did: QEMU killed at the timeout, a crash or non-zero exit, or short output. */
  failure?: { kind: 'timeout' | 'crash' | 'output'; message: string };
}

export async function runOnBoard(options: BoardRunOptions): Promise<BoardRun> {
  if (!options.board.semihosting) {
    throw new UserError(semihostingNeeded(options.board));
  }
  const { board, generated, name, records, workDir, timeoutMs } = options;
  const progress = options.onProgress ?? (() => {});
  mkdirSync(workDir, { recursive: true });
  const files = new Map([...generated.files, ...generateHarnessAdapter(name, generated)]);
  options.mutateSources?.(files);
  for (const [file, text] of files) writeFileSync(join(workDir, file), text);
  progress(`building firmware for ${board.id}`, 'build');
  const build = await buildFirmware({
    board,
    sources: [join(workDir, modelSourceFile(name)), join(workDir, 'harness_model.c')],
    withKernels: true,
    withHarness: true,
    includeDirs: [workDir, KERNELS_DIR, HARNESS_DIR],
    outDir: workDir,
    ...(options.defines ? { defines: options.defines } : {}),
    ...(options.cflags ? { extraCflags: options.cflags } : {}),
  });
  writeFileSync(join(workDir, 'inputs.bin'), Buffer.concat(records));
  rmSync(join(workDir, 'outputs.bin'), { force: true });
  progress(`running ${records.length} inference${records.length === 1 ? '' : 's'} under QEMU (${board.qemu?.machine ?? board.id})`, 'run');
  const onInference = options.onInference;
  const run = await runFirmware({
    board,
    elfPath: build.elfPath,
    args: ['inputs.bin', 'outputs.bin', ...(options.extraArgs ?? [])],
    cwd: workDir,
    timeoutMs,
    icount: options.icount ?? false,
    ...(onInference
      ? {
          onStdoutLine: (line: string) => {
            const done = INFERENCE_LINE.exec(line);
            if (done) onInference(Number(done[1]) + 1, records.length);
          },
        }
      : {}),
  });
  let outputs = new Uint8Array();
  try {
    outputs = new Uint8Array(readFileSync(join(workDir, 'outputs.bin')));
  } catch {
    // reported below as a failure of the run
  }
  const expectedBytes = records.length * recordBytes(generated.outputs);
  const failure: BoardRun['failure'] = run.timedOut
    ? { kind: 'timeout', message: `firmware did not finish within ${timeoutMs} ms` }
    : run.exitCode !== 0
      ? {
          kind: 'crash',
          message: `firmware exited with status ${run.exitCode ?? run.signal} (${describeExitStatus(run.exitCode)})${run.stderr.trim() ? `: ${run.stderr.trim().split('\n')[0]}` : ''}`,
        }
      : outputs.length !== expectedBytes
        ? { kind: 'output', message: `firmware wrote ${outputs.length} output bytes, expected ${expectedBytes}` }
        : undefined;
  return { build, run, harness: parseHarnessStdout(run.stdout), outputs, ...(failure ? { failure } : {}) };
}
