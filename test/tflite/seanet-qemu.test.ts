/**
 * TFLM's SEANet integration tests (../shared/conformance/tflm-seanet, 16x8) under QEMU on the
 * Cortex-M4F (mps2-an386), the Cortex-M55 (mps3-an547) and the Cortex-M3 (mps2-an385), with each
 * case's own input as the input record and its int32 inputs (output shapes) bound with --bind:
 * the firmware must give exactly the reference's bytes, which the conformance run
 * (test/conformance/conformance-run.test.ts) holds equal to TFLM's.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { tinygen } from '../helpers/cli.ts';
import { SHARED } from '../helpers/paths.ts';
import { readTflmTestCase, tfliteInputNames, tflmCases } from '../../src/conformance/tflm-test.ts';

const FOLDERS = ['add', 'conv', 'leaky_relu', 'pad', 'quantize', 'strided_slice', 'sub', 'transpose_conv'];
const BOARDS = ['mps2-an386', 'mps3-an547', 'mps2-an385'];
const CASES = FOLDERS.flatMap((folder) => tflmCases(join(SHARED, 'conformance', 'tflm-seanet', folder)));

describe.concurrent('TFLM SEANet under QEMU', () => {
  it('every folder has its cases', () => {
    expect(CASES).toHaveLength(81);
  });

  it.each(CASES.map((prefix) => [basename(prefix), prefix] as const))('%s: bit-exact on the M4F, M55 and M3', async (_, prefix) => {
    const test = readTflmTestCase(prefix);
    const names = tfliteInputNames(test.modelPath);
    const work = mkdtempSync(join(tmpdir(), 'tinygen-seanet-'));
    try {
      const records = join(work, 'inputs.bin');
      const runtime = test.inputs.filter((t) => t.dtype !== 'int32');
      writeFileSync(records, Buffer.concat(runtime.map((t) => Buffer.from((t.data as Int16Array).buffer))));
      const binds = test.inputs.flatMap((t, k) => (t.dtype === 'int32' ? ['--bind', `${names[k]}=${Array.from(t.data as Int32Array).join(',')}`] : []));
      const result = await tinygen(['validate', test.modelPath, ...BOARDS.flatMap((b) => ['--board', b]), '--inputs', records, ...binds, '--json']);
      expect(result.exitCode, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { cells: { board: string; rounding: string; passed: boolean; inputs: number; mismatchCount: number }[] };
      expect(report.cells.map((c) => c.board).sort()).toEqual([...BOARDS].sort());
      for (const cell of report.cells) expect(cell).toMatchObject({ rounding: 'tflite', passed: true, inputs: 1, mismatchCount: 0 });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
