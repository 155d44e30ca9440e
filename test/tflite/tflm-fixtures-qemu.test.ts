/**
 * The committed TFLM fixtures (test/fixtures/tflm-diff) under QEMU on the Cortex-M4F (mps2-an386)
 * and the Cortex-M55 (mps3-an547): the first single-operator case of every operator and input
 * type, and every twentieth chain, each validated with its own input records. The firmware must
 * give exactly the reference's bytes, which test/tflite/tflm-fixtures.test.ts holds equal to TFLM's.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinygen } from '../helpers/cli.ts';
import { readFixtures } from '../../tools/tflm-diff/fixtures.ts';

const BOARDS = ['mps2-an386', 'mps3-an547'];
const ALL = readFixtures(join(import.meta.dirname, '..', 'fixtures', 'tflm-diff')).filter((c) => c.refusal === undefined);
const seen = new Set<string>();
const SAMPLE = ALL.filter((c, i) => {
  if (c.ops.length > 1) return i % 20 === 0;
  if (seen.has(c.ops[0]!)) return false;
  seen.add(c.ops[0]!);
  return true;
});

describe.concurrent('TFLM fixtures under QEMU', () => {
  it('the sample has every operator alone', () => {
    expect(SAMPLE.filter((c) => c.ops.length === 1).length).toBeGreaterThanOrEqual(24);
  });

  it.each(SAMPLE.map((c) => [`${c.id} [${c.ops.join(' > ')}]`, c] as const))('%s: bit-exact on the M4F and M55', async (_, c) => {
    const work = mkdtempSync(join(tmpdir(), 'tinygen-tflm-fixture-'));
    try {
      const records = join(work, 'inputs.bin');
      writeFileSync(records, c.input);
      const result = await tinygen(['validate', c.modelPath, ...BOARDS.flatMap((b) => ['--board', b]), '--inputs', records, '--json']);
      expect(result.exitCode, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { cells: { board: string; rounding: string; passed: boolean; inputs: number; mismatchCount: number }[] };
      expect(report.cells.map((cell) => cell.board).sort()).toEqual([...BOARDS].sort());
      for (const cell of report.cells) expect(cell).toMatchObject({ rounding: 'tflite', passed: true, inputs: c.records, mismatchCount: 0 });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
