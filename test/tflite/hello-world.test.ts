/**
 * TFLM's own hello_world int8 model against TFLM's output bytes (../shared/conformance/tflite):
 * the reference interpreter, the host-compiled C (ASan/UBSan) and the firmware under QEMU must
 * all give exactly what TFLM computed.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { recordToValues, valuesToRecord } from '../../src/validate/records.ts';
import { tinygen } from '../helpers/cli.ts';
import { SHARED } from '../helpers/paths.ts';

const DIR = join(SHARED, 'conformance', 'tflite', 'hello_world_int8');
const MODEL = join(DIR, 'model.tflite');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { cases: string[] };
const inputs = manifest.cases.map((c) => readFileSync(join(DIR, `${c}.input.bin`)));
const tflmOutputs = manifest.cases.map((c) => readFileSync(join(DIR, `${c}.output.bin`)));

describe('TFLM hello_world int8', () => {
  const compiled = compileModel({ modelPath: MODEL });

  it('compiles with tflite rounding by default', () => {
    expect(compiled.rounding).toBe('tflite');
    expect(manifest.cases.length).toBeGreaterThan(0);
  });

  it.each(manifest.cases.map((c, i) => [c, i] as const))('reference interpreter equals TFLM on %s', (_case, i) => {
    const values = recordToValues(compiled.graph, compiled.graph.inputs, inputs[i]!);
    const output = valuesToRecord(runReference(compiled.graph, values).outputs);
    expect(Buffer.from(output)).toEqual(tflmOutputs[i]);
  });

  it('host-compiled C equals TFLM on every case', async () => {
    const host = await buildHostModel(compiled);
    try {
      const actual = await host.run(Buffer.concat(inputs));
      expect(Buffer.from(actual)).toEqual(Buffer.concat(tflmOutputs));
    } finally {
      host.dispose();
    }
  }, 120_000);

  it('validate under QEMU on mps2-an386 with the cases as input records: 0 mismatches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-'));
    const records = join(dir, 'inputs.bin');
    writeFileSync(records, Buffer.concat(inputs));
    const result = await tinygen(['validate', MODEL, '--board', 'mps2-an386', '--inputs', records, '--json']);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { cells: { rounding: string; passed: boolean; inputs: number; bytesCompared: number; mismatchCount: number }[] };
    expect(report.cells).toHaveLength(1);
    expect(report.cells[0]).toMatchObject({ rounding: 'tflite', passed: true, inputs: manifest.cases.length, bytesCompared: manifest.cases.length, mismatchCount: 0 });
  }, 300_000);
});
