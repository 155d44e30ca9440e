/**
 * tools/tflm-diff's generator: seeded and deterministic, so the committed fixtures are exactly what
 * docs/tflm-diff.md's command draws (a generator change that would make them stale fails here);
 * it covers every operator alone in int8 and 16x8; and what it draws tinygen imports without an
 * internal error.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATED_OPS, drawInputs, generateCase } from '../../tools/tflm-diff/generate.ts';
import { readFixtures } from '../../tools/tflm-diff/fixtures.ts';
import { runTinygen } from '../../tools/tflm-diff/sides.ts';

const FIXTURES = readFixtures(join(import.meta.dirname, '..', 'fixtures', 'tflm-diff'));

describe('tflm-diff generator', () => {
  it('draws the same model and inputs for the same case, and others for another', () => {
    const a = generateCase(5, 17);
    expect(Buffer.from(generateCase(5, 17).model)).toEqual(Buffer.from(a.model));
    expect(Buffer.from(drawInputs(a, 9, 3))).toEqual(Buffer.from(drawInputs(generateCase(5, 17), 9, 3)));
    expect(Buffer.from(generateCase(5, 19).model)).not.toEqual(Buffer.from(a.model));
    expect(Buffer.from(generateCase(6, 17).model)).not.toEqual(Buffer.from(a.model));
  });

  it('still draws every committed fixture: model and input records byte for byte', () => {
    for (const fixture of FIXTURES) {
      const [seed, index] = /^(-?\d+)-(\d+)$/.exec(fixture.id)!.slice(1).map(Number) as [number, number];
      const drawn = generateCase(seed, index);
      expect(drawn.ops, fixture.id).toEqual(fixture.ops);
      expect(Buffer.from(drawn.model), fixture.id).toEqual(Buffer.from(fixture.model));
      // main.ts draws a case's records with this seed.
      expect(Buffer.from(drawInputs(drawn, seed * 100_003 + index, fixture.records)), fixture.id).toEqual(Buffer.from(fixture.input));
    }
  });

  it('takes every operator alone, in int8 and (but HARD_SWISH) in 16x8, and tinygen imports them without an internal error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflm-gen-'));
    let ran = 0;
    // Three rounds of single-operator cases (even indices), the operators in turn; the third round is 16x8.
    for (let round = 0; round < 3; round++) {
      for (const [k, op] of GENERATED_OPS.entries()) {
        const index = 2 * (round * GENERATED_OPS.length + k);
        const c = generateCase(3, index);
        // A label is the operator and, unless int8, its input type; QUANTIZE may start from float32.
        const [name, type = 'int8'] = c.ops[0]!.split(' ');
        expect(c.ops, c.id).toHaveLength(1);
        expect(name, c.id).toBe(op);
        const wide = round === 2 && op !== 'HARD_SWISH';
        if (type !== 'float32') expect(type, c.id).toBe(wide ? 'int16' : 'int8');
        const path = join(dir, `${c.id}.tflite`);
        writeFileSync(path, c.model);
        const result = await runTinygen(path, drawInputs(c, index, 1), 1);
        expect(result.kind === 'crashed' || result.kind === 'inconsistent' ? result.message : '', c.id).toBe('');
        if (result.kind === 'ran') ran++;
      }
    }
    // The deliberate rule-breakers are few.
    expect(ran).toBeGreaterThan(0.85 * 3 * GENERATED_OPS.length);
  });
});
