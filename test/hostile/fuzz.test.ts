/**
 * The fuzzer (npm run fuzz, tools/fuzz/) on a fixed seed, in-process so it fits in CI time:
 * every mutant, half ONNX and half TFLite, is refused with a UserError of one line or compiled;
 * nothing else is thrown and nothing takes 10 s. One accepted mutant in four has its C built
 * with gcc -Wall -Wextra -Werror. (Exit codes and memory are the CLI's: npm run fuzz checks them.)
 */
import { describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzzTempDir, loadSeeds, makeMutant } from '../../tools/fuzz/corpus.ts';
import { compileInProcess } from '../../tools/fuzz/oracle.ts';

const SEED = 20_261_207;
const COUNT = 300;

describe('fuzzing, fixed seed', () => {
  it(`${COUNT} mutants: each refused with one line or compiled into C that builds under -Werror`, async () => {
    const seeds = loadSeeds();
    const dir = fuzzTempDir();
    const defects: string[] = [];
    const outcomes = { accepted: 0, refused: 0, built: 0 };
    try {
      for (let index = 0; index < COUNT; index++) {
        const mutant = makeMutant(seeds, SEED, index);
        const file = join(dir, `m${index}.${mutant.format}`);
        writeFileSync(file, mutant.bytes);
        const buildC = outcomes.accepted % 4 === 0;
        const verdict = await compileInProcess(file, join(dir, `out${index}`), buildC);
        if (verdict.outcome === 'accepted') {
          outcomes.accepted++;
          if (buildC) outcomes.built++;
        } else if (verdict.outcome === 'refused') outcomes.refused++;
        else defects.push(`${verdict.outcome} #${index} ${mutant.seed}: ${mutant.what}\n  ${verdict.detail}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(defects).toEqual([]);
    // The mutants reach past the parsers: some compile (and some of those are built), most are refused.
    expect(outcomes.accepted).toBeGreaterThan(COUNT / 20);
    expect(outcomes.built).toBeGreaterThan(COUNT / 100);
    expect(outcomes.refused).toBeGreaterThan(COUNT / 2);
  });
});
