/**
 * Measures a compiled model in a real build for a board: two images of the smallest application
 * that calls it (templates/report_main.c.hbs), one with the model and one without. What the first
 * has beyond the second is the model's code (with the library routines it pulls in) and static
 * data; the weights and arena are read from their own linker sections; the stack is the deepest
 * path through gcc's call graph with -fstack-usage frame sizes, from <name>_run down.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Board } from '../boards/board.ts';
import { buildFirmware, type BuildResult } from '../toolchain/build.ts';
import { allOrFirstFailure } from '../toolchain/parallel.ts';
import { KERNELS_DIR } from '../toolchain/object-cache.ts';
import { modelSourceFile, type GeneratedModel } from '../codegen/generate.ts';
import { generateReportMain } from '../codegen/report-main.ts';
import { parseCallGraph, worstStack, type StackUse } from './call-graph.ts';

export const WEIGHTS_SECTION = '.tinygen.weights';
export const ARENA_SECTION = '.tinygen.arena';

export interface FirmwareMeasurement {
  board: string;
  /** Size of the weights section in the linked image. */
  weightsBytes: number;
  /** Size of the arena section in the linked image. */
  arenaBytes: number;
  /** Flash the model adds beyond its weights: its code, parameter structs and the library routines it calls. */
  codeBytes: number;
  /** RAM the model adds beyond its arena (kernels' static variables). */
  staticDataBytes: number;
  stack: StackUse;
  /** arm-none-eabi-size of the image with the model (application and C runtime included). */
  image: BuildResult['sizes'];
}

const sectionSize = (build: BuildResult, name: string) => build.sections.find((s) => s.name === name)?.size ?? 0;

export async function measureFirmware(name: string, generated: GeneratedModel, board: Board, keepDir?: string): Promise<FirmwareMeasurement> {
  const workDir = keepDir ?? mkdtempSync(join(tmpdir(), 'tinygen-report-'));
  try {
    mkdirSync(workDir, { recursive: true });
    for (const [file, text] of generated.files) writeFileSync(join(workDir, file), text);
    const main = join(workDir, 'report_main.c');
    writeFileSync(main, generateReportMain(name, generated));
    const includeDirs = [workDir, KERNELS_DIR];
    const [withModel, baseline] = await allOrFirstFailure([
      buildFirmware({
        board,
        sources: [join(workDir, modelSourceFile(name)), main],
        withKernels: true,
        includeDirs,
        outDir: join(workDir, 'model'),
        extraCflags: ['-fstack-usage', '-fcallgraph-info=su'],
      }),
      buildFirmware({ board, sources: [main], includeDirs, outDir: join(workDir, 'baseline'), defines: { TINYGEN_REPORT_BASELINE: '' } }),
    ] as const);
    const callGraphs = [withModel.kernels!.dir, ...withModel.sourceObjects.map((library) => library.dir)].flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.ci'))
        .sort()
        .map((f) => readFileSync(join(dir, f), 'utf8')),
    );
    const weightsBytes = sectionSize(withModel, WEIGHTS_SECTION);
    const arenaBytes = sectionSize(withModel, ARENA_SECTION);
    const flash = (b: BuildResult) => b.sizes.text + b.sizes.data;
    const ram = (b: BuildResult) => b.sizes.data + b.sizes.bss;
    return {
      board: board.id,
      weightsBytes,
      arenaBytes,
      codeBytes: flash(withModel) - flash(baseline) - weightsBytes,
      staticDataBytes: ram(withModel) - ram(baseline) - arenaBytes,
      stack: worstStack(parseCallGraph(callGraphs), `${name}_run`),
      image: withModel.sizes,
    };
  } finally {
    if (!keepDir) rmSync(workDir, { recursive: true, force: true });
  }
}
