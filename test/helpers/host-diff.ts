/**
 * Differential check on the host: compile a model, build its C with the kernels under
 * ASan/UBSan, run random inputs through both it and the reference, and return any mismatch.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel, generate } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { generateHarnessAdapter } from '../../src/codegen/harness.ts';
import { buildHost, HARNESS_DIR, KERNELS_DIR, kernelSources, runHost } from '../../src/toolchain/host.ts';
import { randomInputs, seededRandom, valuesToRecord } from '../../src/validate/records.ts';
import type { RoundingMode } from '../../src/numerics/requantize.ts';

export interface HostDiff {
  bytes: number;
  mismatches: number;
  first?: { index: number; expected: number; actual: number };
}

export async function hostDiff(modelPath: string, rounding: RoundingMode, inputs = 8, seed = 1): Promise<HostDiff> {
  const compiled = compileModel({ modelPath, rounding });
  const generated = generate(compiled);
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-host-'));
  for (const [file, text] of [...generated.files, ...generateHarnessAdapter(compiled.name, generated)]) writeFileSync(join(dir, file), text);
  const exe = await buildHost({
    sources: [...kernelSources(), join(dir, `${compiled.name}_model.c`), join(dir, 'harness_model.c'), join(HARNESS_DIR, 'host_main.c')],
    includeDirs: [dir, KERNELS_DIR],
    outDir: dir,
  });
  const random = seededRandom(seed);
  const records: Uint8Array[] = [];
  const expected: Uint8Array[] = [];
  for (let i = 0; i < inputs; i++) {
    const values = randomInputs(compiled.graph, random);
    records.push(valuesToRecord(values));
    expected.push(valuesToRecord(runReference(compiled.graph, values).outputs));
  }
  const actual = await runHost(exe, Buffer.concat(records), dir);
  const want = Buffer.concat(expected);
  let mismatches = 0;
  let first: HostDiff['first'];
  for (let i = 0; i < want.length; i++) {
    if (want[i] !== actual[i]) {
      mismatches++;
      first ??= { index: i, expected: want[i]!, actual: actual[i]! };
    }
  }
  if (actual.length !== want.length) mismatches += Math.abs(actual.length - want.length);
  return { bytes: want.length, mismatches, first };
}
