/**
 * The fuzzer: seeded mutants of the example and test models (half ONNX, half TFLite), each
 * compiled by the real CLI, 10 s and 1 GiB at most, accepted C built with -Werror.
 * Every --validate-every'th accepted mutant is also validated under QEMU (mps2-an386, 3 inputs):
 * a firmware that fails to build, crashes or differs from the reference is a defect.
 * Run: npm run fuzz -- --count 1000 --seed 1 [--jobs 2] [--validate-every 25] [--defects /tmp/tinygen-fuzz-defects]
 * Exits 1 if any mutant is a defect; each defect's mutant is saved to the defects folder.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mapInParallel } from '../../src/toolchain/parallel.ts';
import { fuzzTempDir, loadSeeds, makeMutant } from './corpus.ts';
import { compileWithCli, validateWithCli, type Outcome, type Verdict } from './oracle.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    jobs: { type: 'string', default: '2' },
    defects: { type: 'string', default: '/tmp/tinygen-fuzz-defects' },
    'validate-every': { type: 'string', default: '25' },
    verbose: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
const jobs = Number(values.jobs);
const validateEvery = Number(values['validate-every']);

const seeds = loadSeeds();
const work = fuzzTempDir();
const tally = new Map<string, number>();
const byFormat = { onnx: new Map<string, number>(), tflite: new Map<string, number>() };
let slowest = { ms: 0, label: '' };
let peak = { kib: 0, label: '' };
let defects = 0;
let accepted = 0;
const validated = { passed: 0, refused: 0, mismatch: 0 };
const started = performance.now();

const indices = Array.from({ length: count }, (_, i) => i);
await mapInParallel(indices, jobs, async (index) => {
  const mutant = makeMutant(seeds, seed, index);
  const file = join(work, `m${index}.${mutant.format}`);
  writeFileSync(file, mutant.bytes);
  let verdict: Verdict = await compileWithCli(file, join(work, `out${index}`));
  const label = `#${index} ${mutant.seed}: ${mutant.what}`.slice(0, 200);
  if (verdict.outcome === 'accepted' && validateEvery > 0 && ++accepted % validateEvery === 0) {
    // A sample of what compiles is also run: it must be bit-exact on a board.
    const run = await validateWithCli(file, join(work, `validate${index}`));
    validated[run.outcome]++;
    if (run.outcome === 'mismatch') verdict = { ...verdict, outcome: 'mismatch', detail: run.detail };
    rmSync(join(work, `validate${index}`), { recursive: true, force: true });
  }
  const outcome: Outcome = verdict.outcome;
  tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
  byFormat[mutant.format].set(outcome, (byFormat[mutant.format].get(outcome) ?? 0) + 1);
  if (verdict.ms > slowest.ms) slowest = { ms: verdict.ms, label };
  if ((verdict.peakKib ?? 0) > peak.kib) peak = { kib: verdict.peakKib!, label };
  if (outcome !== 'accepted' && outcome !== 'refused') {
    defects++;
    mkdirSync(values.defects!, { recursive: true });
    const base = join(values.defects!, `${outcome}-s${seed}-${index}`);
    writeFileSync(`${base}.${mutant.format}`, mutant.bytes);
    writeFileSync(`${base}.txt`, `${label}\n${verdict.detail}\n`);
    console.log(`DEFECT ${outcome} ${label}\n  ${verdict.detail.split('\n')[0]}\n  saved ${base}.${mutant.format}`);
  } else if (values.verbose) console.log(`${outcome} ${Math.round(verdict.ms)} ms ${label}\n  ${verdict.detail.slice(0, 200)}`);
  rmSync(file, { force: true });
  rmSync(join(work, `out${index}`), { recursive: true, force: true });
  if ((index + 1) % 100 === 0) console.error(`  ${index + 1}/${count} ...`);
});
rmSync(work, { recursive: true, force: true });

const fmt = (m: Map<string, number>) => [...m].sort().map(([k, v]) => `${k} ${v}`).join(', ');
console.log(`mutants: ${count} (seed ${seed}; ${Math.ceil(count / 2)} ONNX, ${Math.floor(count / 2)} TFLite) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`  accepted: ${tally.get('accepted') ?? 0}, cleanly refused: ${tally.get('refused') ?? 0}, defects: ${defects}`);
console.log(`  validated under QEMU (every ${validateEvery}th accepted): ${validated.passed} bit-exact, ${validated.refused} refused by validate, ${validated.mismatch} not bit-exact`);
console.log(`  ONNX:   ${fmt(byFormat.onnx)}`);
console.log(`  TFLite: ${fmt(byFormat.tflite)}`);
const kinds = [...tally].filter(([k]) => k !== 'accepted' && k !== 'refused');
if (kinds.length) console.log(`  defects by kind: ${kinds.map(([k, v]) => `${k} ${v}`).join(', ')} (saved in ${values.defects})`);
console.log(`  slowest: ${(slowest.ms / 1000).toFixed(2)} s, ${slowest.label}`);
console.log(`  peak memory: ${(peak.kib / 1024).toFixed(0)} MiB, ${peak.label}`);
process.exitCode = defects ? 1 : 0;
