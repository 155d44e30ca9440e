/**
 * The smoke firmware of `tinygen boards check` on every board in boards/: built through each
 * board's own linker script and startup code, and booted under QEMU where the board has a machine,
 * checking the values it prints (weights region read, arena written, heap, FPU, DSP, MVE).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBoards, loadBoard } from '../../src/boards/board.ts';
import { expectedSmokeValues, smokeTest, type SmokeResult } from '../../src/boards/smoke.ts';
import { mapInParallel } from '../../src/toolchain/parallel.ts';
import { tinygenInProcess } from '../helpers/cli-in-process.ts';

describe('smoke firmware on every board', () => {
  const boards = listBoards();
  let results: Promise<SmokeResult[]> | undefined;
  // At most two builds and boots at a time (the suite runs on two cores).
  const all = () => (results ??= mapInParallel(boards, 2, (b) => smokeTest(b)));

  for (const [i, board] of boards.entries()) {
    it(`${board.id}: ${board.qemu ? `boots on QEMU ${board.qemu.machine}` : 'builds (no QEMU machine)'}`, async () => {
      const result = (await all())[i]!;
      expect(result.failure).toBeUndefined();
      expect(result.passed).toBe(true);
      expect(result.booted).toBe(board.qemu !== undefined);
      if (board.qemu) expect(result.values).toEqual(expectedSmokeValues(board));
    });
  }

  it('the expected values are what the C computes, derived by hand for the features', () => {
    // weights are a permutation of all 256 int8 values: their sum is -128.
    expect(expectedSmokeValues(loadBoard('microbit'))).toEqual({ sum: -128, weighted: expect.any(Number) });
    expect(Object.keys(expectedSmokeValues(loadBoard('mps3-an547')))).toEqual(['sum', 'weighted', 'fpu', 'dsp', 'mve']);
  });

  it('boards check reports a board whose RAM cannot hold the image (exit 1, the linker says why)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tinygen-board-'));
    const file = path.join(dir, 'tiny-ram.json');
    const json = JSON.parse(JSON.stringify({ ...loadBoard('microbit'), id: 'tiny-ram', file: undefined }));
    json.memory[1].length = '8K';
    writeFileSync(file, JSON.stringify(json, null, 2));
    const result = await tinygenInProcess(['boards', 'check', file]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('valid board "tiny-ram"');
    expect(result.stdout).toMatch(/FAIL: the smoke firmware does not build: .*(overflow|will not fit)/);
  });

  it('boards check builds and boots a good board (exit 0)', async () => {
    const result = await tinygenInProcess(['boards', 'check', 'boards/mps2-an505.json']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/ok: smoke firmware built and booted on QEMU mps2-an505 .*sum -128, weighted -?\d+, fpu 337, dsp 33/);
  });
});
