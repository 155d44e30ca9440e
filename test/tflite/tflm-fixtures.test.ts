/**
 * tinygen against TFLM's own bytes on the committed random models (test/fixtures/tflm-diff, written
 * by `npm run tflm-diff -- --fixtures`): the outputs of TFLM's reference kernels, built on the host
 * from tflite-micro by tools/tflm-oracle, are the expected values. Each model tinygen compiles must
 * give those bytes in the reference interpreter; a sample is also built as C under ASan/UBSan. A
 * model tinygen refuses must have been refused when the fixtures were written, with the same
 * message (TFLM quirks tinygen names rather than reproduces), so a new refusal fails here.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { compileModel, type Compiled } from '../../src/pipeline.ts';
import { UserError } from '../../src/errors.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { readFixtures, refusalText } from '../../tools/tflm-diff/fixtures.ts';
import { referenceOutputs } from '../../tools/tflm-diff/sides.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'tflm-diff');
const cases = readFixtures(FIXTURES);

/**
 * Built as C too: the first single-operator case of each operator, every tenth chain, and every
 * case named when the fixtures were written (one an earlier run found wrong).
 */
const seen = new Set<string>();
const builtAsC = new Set(
  cases
    .filter((c, i) => {
      if (c.named) return true;
      if (c.ops.length > 1) return i % 10 === 0;
      if (seen.has(c.ops[0]!)) return false;
      seen.add(c.ops[0]!);
      return true;
    })
    .map((c) => c.id),
);

function compileOrRefusal(modelPath: string): Compiled | string {
  try {
    return compileModel({ modelPath, rounding: 'tflite' });
  } catch (error) {
    if (error instanceof UserError) return refusalText(error.message);
    throw error;
  }
}

describe('TFLM fixtures', () => {
  it('cover every operator TFLM and tinygen share, alone in int8 and 16x8, and in chains', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const single = [...new Set(cases.filter((c) => c.ops.length === 1).map((c) => c.ops[0]!))];
    // int8 operators are labelled by name; others by name and input type ("CONV_2D int16").
    expect(single.filter((op) => !op.includes(' ')).length).toBe(24);
    expect(single.filter((op) => op.endsWith(' int16')).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => c.ops.length > 1).length).toBeGreaterThanOrEqual(100);
  });

  describe.each(cases)('$id: $ops', ({ modelPath, input, records, tflm, refusal, id }) => {
    it(builtAsC.has(id) ? "gives TFLM's bytes in the reference and the host C" : "gives TFLM's bytes in the reference", async () => {
      const compiled = compileOrRefusal(modelPath);
      if (typeof compiled === 'string') {
        expect(compiled, 'refused now, but compiled when the fixtures were written').toBe(refusal);
        return;
      }
      const want = Buffer.from(tflm);
      expect(Buffer.from(referenceOutputs(compiled, input, records))).toEqual(want);
      if (!builtAsC.has(id)) return;
      const host = await buildHostModel(compiled);
      try {
        expect(Buffer.from(await host.run(input))).toEqual(want);
      } finally {
        host.dispose();
      }
    });
  });
});
