/**
 * Differential test against TFLM: seeded random int8 and 16x8 TFLite models (generate.ts) run through
 * TFLM's reference kernels (the oracle built by tools/tflm-oracle/build.sh) and through tinygen
 * in tflite rounding, and every output byte compared. Prints a table per operator: equal, differ,
 * refused (tinygen refused, TFLM ran), both refused, TFLM refused (tinygen ran), TFLM aborted (one
 * of its run-time checks failed: TFLITE_CHECK, or a debug-build check), crashed (tinygen threw an internal
 * error, or TFLM died otherwise). A case that differs names the first operator whose output
 * parts from TFLM's, and is kept with its inputs and TFLM's outputs for reproduction.
 *
 * Run: npm run tflm-diff -- --count 2000 --seed 1 [--records 3] [--host-c] [--board ID ...] [--jobs 2]
 *        [--also SEED-INDEX,...] (cases of other runs too, by the id a report gives them)
 *        [--oracle PATH] [--keep DIR] [--fixtures DIR] [--json]
 * --host-c also runs the generated C on the host under ASan/UBSan, and --board (repeatable, or
 * comma-separated, or all) the firmware under QEMU on that board; each must equal the reference.
 * --fixtures DIR rewrites the fixtures there from the cases TFLM ran (docs/tflm-diff.md has the
 * command that wrote test/fixtures/tflm-diff).
 * Exits 1 if any case differs or crashes, 2 on bad usage or a missing oracle.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mapInParallel } from '../../src/toolchain/parallel.ts';
import { resolveBoards } from '../../src/validate/matrix.ts';
import { UserError } from '../../src/errors.ts';
import type { Board } from '../../src/boards/board.ts';
import { GENERATED_OPS, drawInputs, generateCase, type GeneratedCase } from './generate.ts';
import { runTinygen, runTflm, type SideResult } from './sides.ts';
import { writeFixtures, type FixtureCase } from './fixtures.ts';
import { firstDivergingLayer } from './layers.ts';

const USAGE = 'usage: npm run tflm-diff -- [--count N] [--seed S] [--also SEED-INDEX,...] [--records R] [--host-c] [--board ID ...] [--jobs J] [--oracle PATH] [--keep DIR] [--fixtures DIR] [--json]';

function fail(message: string): never {
  process.stderr.write(`tflm-diff: ${message}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      count: { type: 'string', default: '200' },
      also: { type: 'string', default: '' },
      seed: { type: 'string', default: '1' },
      records: { type: 'string', default: '3' },
      jobs: { type: 'string', default: '2' },
      oracle: { type: 'string' },
      keep: { type: 'string', default: join(tmpdir(), 'tinygen-tflm-diff') },
      fixtures: { type: 'string' },
      'host-c': { type: 'boolean', default: false },
      board: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
} catch (error) {
  fail(`${(error as Error).message}; ${USAGE}`);
}
const { values } = parsed;
if (values.help) {
  process.stdout.write(`${USAGE}\n\n${readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0]!.replace(/^\/\*\*|^ \* ?/gm, '').trim()}\n`);
  process.exit(0);
}
const positive = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, not '${text}'`);
  return n;
};
const natural = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number, not '${text}'`);
  return n;
};
const also = values.also
  .split(',')
  .filter(Boolean)
  .map((id) => {
    const m = /^(-?\d+)-(\d+)$/.exec(id.trim());
    if (!m) fail(`--also takes case ids SEED-INDEX (as a report names them), not '${id}'`);
    return { seed: Number(m[1]), index: Number(m[2]) };
  });
const seed = Number(values.seed);
if (!Number.isInteger(seed)) fail(`--seed must be an integer, not '${values.seed}'`);
/** The cases: `count` of run `seed`, then those named by --also. */
const drawn = Array.from({ length: natural('count', values.count) }, (_, index) => ({ seed, index }));
// A case named twice, or named and drawn, runs once (in its first place).
const CASES = [...drawn, ...also].filter((c, i, all) => all.findIndex((d) => d.seed === c.seed && d.index === c.index) === i);
const count = CASES.length;
if (count === 0) fail('no cases: give --count above 0 or --also');
const records = positive('records', values.records);
const jobs = positive('jobs', values.jobs);
let boards: Board[] = [];
try {
  boards = values.board.length ? resolveBoards(values.board).map((b) => b.board) : [];
} catch (error) {
  fail(error instanceof UserError ? error.message : String(error));
}
const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
const oracle = resolve(values.oracle ?? process.env.TFLM_ORACLE ?? join(cacheRoot, 'tflm-oracle', 'tflm-run'));
if (!existsSync(oracle)) fail(`no TFLM oracle at ${oracle}; build it with tools/tflm-oracle/build.sh, or give --oracle`);

export type Outcome = 'equal' | 'differ' | 'refused' | 'both-refused' | 'tflm-refused' | 'tflm-aborted' | 'crashed';
const OUTCOMES: Outcome[] = ['equal', 'differ', 'refused', 'both-refused', 'tflm-refused', 'tflm-aborted', 'crashed'];

interface CaseResult {
  id: string;
  ops: string[];
  outcome: Outcome;
  detail: string;
}

/** The most input and output bytes a case may have to be written as a fixture. */
const FIXTURE_BYTES = 12 * 1024;

const work = mkdtempSync(join(tmpdir(), 'tinygen-tflm-diff-'));
mkdirSync(values.keep, { recursive: true });
const started = performance.now();
const tally = new Map<Outcome, number>(OUTCOMES.map((o) => [o, 0]));
const fixtures: FixtureCase[] = [];
let done = 0;

function firstDifference(want: Uint8Array, got: Uint8Array): string {
  if (want.length !== got.length) return `TFLM wrote ${want.length} bytes, tinygen ${got.length}`;
  const i = want.findIndex((b, k) => b !== got[k]);
  return `byte ${i}: TFLM ${want[i]}, tinygen ${got[i]}`;
}

function classify(tflm: SideResult, tinygen: SideResult): { outcome: Outcome; detail: string } {
  if (tinygen.kind === 'crashed') return { outcome: 'crashed', detail: `tinygen: ${tinygen.message}` };
  if (tinygen.kind === 'inconsistent') return { outcome: 'differ', detail: `tinygen: ${tinygen.message}` };
  // A failed run-time check is TFLM refusing at Invoke; where tinygen refuses too, both refused.
  if (tflm.kind === 'crashed' && tflm.aborted && tinygen.kind === 'refused') return { outcome: 'both-refused', detail: `TFLM: ${tflm.message} | tinygen: ${tinygen.message}` };
  if (tflm.kind === 'crashed') return { outcome: tflm.aborted ? 'tflm-aborted' : 'crashed', detail: `TFLM: ${tflm.message}` };
  if (tflm.kind === 'refused') return tinygen.kind === 'refused' ? { outcome: 'both-refused', detail: `TFLM: ${tflm.message} | tinygen: ${tinygen.message}` } : { outcome: 'tflm-refused', detail: tflm.message };
  if (tinygen.kind === 'refused') return { outcome: 'refused', detail: tinygen.message };
  if (tflm.kind !== 'ran') return { outcome: 'crashed', detail: `TFLM: ${tflm.message}` };
  const same = tflm.output.length === tinygen.output.length && tflm.output.every((b, i) => b === tinygen.output[i]);
  return same ? { outcome: 'equal', detail: '' } : { outcome: 'differ', detail: `${tinygen.where}: ${firstDifference(tflm.output, tinygen.output)}` };
}

function progress(): void {
  if (values.json || !process.stderr.isTTY) {
    if (done % 100 !== 0 && done !== count) return;
  }
  const parts = OUTCOMES.map((o) => `${o} ${tally.get(o)}`).join(', ');
  const line = `[${done}/${count}] ${parts}`;
  process.stderr.write(process.stderr.isTTY && !values.json ? `\r${line}${done === count ? '\n' : ''}` : `${line}\n`);
}

const results = await mapInParallel(
  CASES,
  jobs,
  async ({ seed: caseSeed, index }, position): Promise<CaseResult> => {
    const generated: GeneratedCase = generateCase(caseSeed, index);
    const dir = join(work, generated.id);
    mkdirSync(dir);
    const modelPath = join(dir, 'model.tflite');
    const inputPath = join(dir, 'input.bin');
    const input = drawInputs(generated, caseSeed * 100_003 + index, records);
    writeFileSync(modelPath, generated.model);
    writeFileSync(inputPath, input);
    const tflm = await runTflm(oracle, modelPath, inputPath, join(dir, 'tflm.bin'));
    const tinygen = await runTinygen(modelPath, input, records, { hostC: values['host-c'], boards });
    const verdict = classify(tflm, tinygen);
    const { outcome } = verdict;
    // A difference is narrowed to the first operator whose output parts from TFLM's.
    const againstTflm = outcome === 'differ' && tinygen.kind === 'ran';
    const detail = againstTflm ? `${verdict.detail}; ${await firstDivergingLayer(generated, oracle, input, records)}` : verdict.detail;
    tally.set(outcome, tally.get(outcome)! + 1);
    if (outcome === 'differ' || outcome === 'crashed' || outcome === 'tflm-aborted') {
      // Kept for reproduction: the model, its inputs and TFLM's outputs.
      const keep = join(values.keep, generated.id);
      mkdirSync(keep, { recursive: true });
      writeFileSync(join(keep, 'model.tflite'), generated.model);
      writeFileSync(join(keep, 'input.bin'), input);
      if (tflm.kind === 'ran') writeFileSync(join(keep, 'tflm.bin'), tflm.output);
    }
    // Fixtures keep the suite's data small: drawn cases whose records and outputs pass 12 KiB are
    // left out; a case named with --also is always kept.
    const named = position >= drawn.length;
    const small = input.length + (tflm.kind === 'ran' ? tflm.output.length : 0) <= FIXTURE_BYTES;
    if (values.fixtures && (small || named) && tflm.kind === 'ran' && (tinygen.kind === 'ran' || tinygen.kind === 'refused')) {
      fixtures.push({ id: generated.id, ops: generated.ops, model: generated.model, records, input, tflm: tflm.output, refusal: tinygen.kind === 'refused' ? tinygen.message : undefined, named });
    }
    rmSync(dir, { recursive: true, force: true });
    done++;
    progress();
    return { id: generated.id, ops: generated.ops, outcome, detail };
  },
);
rmSync(work, { recursive: true, force: true });
if (values.fixtures) {
  const order = (id: string) => /^(-?\d+)-(\d+)$/.exec(id)!.slice(1).map(Number) as [number, number];
  writeFixtures(values.fixtures, fixtures.sort((a, b) => order(a.id)[0] - order(b.id)[0] || order(a.id)[1] - order(b.id)[1]));
}

/** Per operator and input type: the outcomes of every case that contains it (a chain counts for each of its ops). */
const labels = [...new Set([...GENERATED_OPS, ...results.flatMap((r) => r.ops)])].sort();
const perOp = new Map<string, Map<Outcome, number>>(labels.map((op) => [op, new Map(OUTCOMES.map((o) => [o, 0]))]));
for (const r of results) {
  for (const op of new Set(r.ops)) perOp.get(op)!.set(r.outcome, perOp.get(op)!.get(r.outcome)! + 1);
}
/** Refusal messages with the case-specific numbers taken out, counted. */
const reasons = new Map<string, number>();
for (const r of results.filter((r) => r.outcome === 'refused' || r.outcome === 'both-refused' || r.outcome === 'tflm-refused' || r.outcome === 'tflm-aborted')) {
  const key = `${r.outcome}: ${r.detail.replace(/^[^|]*?\.tflite: /, '').replace(/tinygen: [^|]*?\.tflite: /, 'tinygen: ').replace(/operator \d+/g, 'operator N').replace(/-?\d+(\.\d+)?(e-?\d+)?/g, '#').slice(0, 300)}`;
  reasons.set(key, (reasons.get(key) ?? 0) + 1);
}
const seconds = (performance.now() - started) / 1000;
const bad = results.filter((r) => r.outcome === 'differ' || r.outcome === 'crashed');

if (values.json) {
  process.stdout.write(
    `${JSON.stringify(
      {
        count,
        seed,
        records,
        hostC: values['host-c'],
        boards: boards.map((b) => b.id),
        seconds: Math.round(seconds),
        totals: Object.fromEntries(tally),
        perOp: Object.fromEntries([...perOp].map(([op, m]) => [op, Object.fromEntries(m)])),
        reasons: Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1])),
        failures: bad,
      },
      null,
      2,
    )}\n`,
  );
} else {
  const header = ['op', ...OUTCOMES];
  const rows = [...perOp].map(([op, m]) => [op, ...OUTCOMES.map((o) => String(m.get(o)))]);
  rows.push(['all cases', ...OUTCOMES.map((o) => String(tally.get(o)))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const targets = ['reference', ...(values['host-c'] ? ['host C'] : []), ...boards.map((b) => b.id)].join(', ');
  console.log(`tflm-diff: ${count} models (seed ${seed}${count > drawn.length ? ` and ${count - drawn.length} named` : ''}, ${records} input records each; ${targets}) in ${seconds.toFixed(0)} s`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  if (reasons.size) {
    console.log('\nrefusals:');
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${reason}`);
  }
  for (const r of bad.slice(0, 40)) console.log(`${r.outcome.toUpperCase()} ${r.id} [${r.ops.join(' > ')}]: ${r.detail}`);
  if (bad.length) console.log(`${bad.length} case(s) differ or crashed; each is kept in ${values.keep}/<id>`);
}
process.exit(bad.length ? 1 : 0);
