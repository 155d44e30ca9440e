/**
 * The weights-blob swap program (test/helpers/weights-swap.ts) as firmware, under QEMU: on a DSP
 * core (M4F) and an MVE core (M55), two trainings' blobs bound in turn under one code give the
 * reference's bytes, and damaged, truncated, misaligned and foreign blobs are refused while the
 * blob bound before stays bound.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/boards/board.ts';
import { buildFirmware } from '../../src/toolchain/build.ts';
import { KERNELS_DIR } from '../../src/toolchain/object-cache.ts';
import { runFirmware } from '../../src/toolchain/qemu.ts';
import { writeSwapProgram } from '../helpers/weights-swap.ts';

describe.concurrent('weights blob swap under QEMU', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-weights-blob-qemu-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const program = writeSwapProgram(dir);

  it.each(['mps2-an386', 'mps3-an547'])('on %s', async (id) => {
    const board = loadBoard(id);
    const build = await buildFirmware({ board, sources: program.sources, withKernels: true, includeDirs: [dir, KERNELS_DIR], outDir: join(dir, id) });
    const run = await runFirmware({ board, elfPath: build.elfPath, args: [], timeoutMs: 30_000, cwd: join(dir, id) });
    expect(run.stdout + run.stderr).toContain('weights swap: ok');
    expect(run.exitCode).toBe(0);
  });
});
