/**
 * Accepted fuzz mutants run on a board: the first accepted mutants of the CI seed (fuzz.test.ts's)
 * are validated under QEMU on mps2-an386, and each must be bit-exact with the reference or be
 * refused in one line (a model that does not fit the board). npm run fuzz does the same for
 * every 25th accepted mutant of its run.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { validate } from '../../src/validate/validate.ts';
import { fuzzTempDir, loadSeeds, makeMutant } from '../../tools/fuzz/corpus.ts';
import { compileInProcess } from '../../tools/fuzz/oracle.ts';

const SEED = 20_261_207;
const SAMPLE = 8;

describe('fuzzing, fixed seed, under QEMU', () => {
  it(`the first ${SAMPLE} accepted mutants validate bit-exact on mps2-an386`, async () => {
    const seeds = loadSeeds();
    const dir = fuzzTempDir();
    const results: string[] = [];
    try {
      for (let index = 0; results.length < SAMPLE && index < 500; index++) {
        const mutant = makeMutant(seeds, SEED, index);
        const file = join(dir, `m${index}.${mutant.format}`);
        writeFileSync(file, mutant.bytes);
        if ((await compileInProcess(file, join(dir, `out${index}`), false)).outcome !== 'accepted') continue;
        const label = `#${index} ${mutant.seed}: ${mutant.what}`;
        try {
          const report = await validate({ modelPath: file, board: 'mps2-an386', inputs: 3, trace: false });
          results.push(report.passed ? 'passed' : `FAILED ${label}: ${report.failure ?? `${report.mismatchCount} bytes differ`}`);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          results.push('refused');
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(results).toHaveLength(SAMPLE);
    expect(results.filter((r) => r.startsWith('FAILED'))).toEqual([]);
    expect(results.filter((r) => r === 'passed').length).toBeGreaterThan(SAMPLE / 2);
  });
});
