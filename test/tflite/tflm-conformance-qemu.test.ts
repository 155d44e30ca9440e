/**
 * TFLM's own models (../shared/conformance/tflite) under QEMU on a Cortex-M4F and a Cortex-M55,
 * with TFLM's cases as input records, the inputs in the arena (person_detect's first layers then
 * run as one chain row by row over its input, micro_speech's conv row by row into its fully
 * connected layer) and, on the M4F, at the caller: the firmware must give exactly the reference's bytes, which
 * tflm-conformance.test.ts holds equal to TFLM's.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinygen } from '../helpers/cli.ts';
import { SHARED } from '../helpers/paths.ts';

const MODELS = ['hello_world_int8', 'micro_speech_quantized', 'person_detect'];

describe.concurrent.each(MODELS)('TFLM %s', (model) => {
  it('validate under QEMU on mps2-an386 and mps3-an547 with the cases as input records: 0 mismatches', async () => {
    const dir = join(SHARED, 'conformance', 'tflite', model);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { cases: string[] };
    const work = mkdtempSync(join(tmpdir(), 'tinygen-tflm-'));
    try {
      const records = join(work, 'inputs.bin');
      writeFileSync(records, Buffer.concat(manifest.cases.map((c) => readFileSync(join(dir, `${c}.input.bin`)))));
      // Inputs in the arena on both boards, and at the caller on the M4F.
      const runs = await Promise.all([
        tinygen(['validate', join(dir, 'model.tflite'), '--board', 'mps2-an386', '--board', 'mps3-an547', '--inputs', records, '--io', 'arena', '--json']),
        tinygen(['validate', join(dir, 'model.tflite'), '--board', 'mps2-an386', '--inputs', records, '--io', 'caller', '--json']),
      ]);
      for (const [result, cells] of [[runs[0], 2], [runs[1], 1]] as const) {
        expect(result.exitCode, result.stderr).toBe(0);
        const report = JSON.parse(result.stdout) as { cells: { rounding: string; passed: boolean; inputs: number; mismatchCount: number }[] };
        expect(report.cells).toHaveLength(cells);
        for (const cell of report.cells) expect(cell).toMatchObject({ rounding: 'tflite', passed: true, inputs: manifest.cases.length, mismatchCount: 0 });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
