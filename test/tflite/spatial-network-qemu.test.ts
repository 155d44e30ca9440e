/** The DS-CNN-like TFLite network under QEMU: `validate` bit-exact on an M4F and an M55 board. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinygen } from '../helpers/cli.ts';
import { buildTflite } from '../helpers/tflite-builder.ts';
import { dsCnnLike } from '../helpers/tflite-networks.ts';

describe('TFLite DS-CNN-like network under QEMU', () => {
  it('validate: 0 mismatches on mps2-an386 and mps3-an547', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tinygen-tflite-qemu-')), 'dscnn_like.tflite');
    writeFileSync(path, buildTflite(dsCnnLike()));
    const result = await tinygen(['validate', path, '--board', 'mps2-an386', '--board', 'mps3-an547', '--inputs', '16', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { cells: { board: string; rounding: string; passed: boolean; inputs: number; bytesCompared: number; mismatchCount: number }[] };
    expect(report.cells.map((c) => c.board).sort()).toEqual(['mps2-an386', 'mps3-an547']);
    for (const cell of report.cells) expect(cell).toMatchObject({ rounding: 'tflite', passed: true, inputs: 16, bytesCompared: 16 * 4, mismatchCount: 0 });
  }, 600_000);
});
