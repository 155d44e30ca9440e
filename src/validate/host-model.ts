/**
 * A compiled model built for the host (gcc with ASan/UBSan) around the stdio harness: the fast
 * way to run the generated C, used by the conformance runner and the differential tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Compiled } from '../pipeline.ts';
import { generate } from '../pipeline.ts';
import { generateHarnessAdapter } from '../codegen/harness.ts';
import { buildHost, runHost } from '../toolchain/host.ts';
import { HARNESS_DIR, KERNELS_DIR } from '../toolchain/kernel-cache.ts';

export interface HostModel {
  /** Runs concatenated input records; returns the concatenated output records. */
  run(records: Uint8Array): Promise<Uint8Array>;
  dispose(): void;
}

export async function buildHostModel(compiled: Compiled): Promise<HostModel> {
  const generated = generate(compiled);
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-host-'));
  for (const [file, text] of [...generated.files, ...generateHarnessAdapter(compiled.name, generated)]) writeFileSync(join(dir, file), text);
  const exe = await buildHost({
    sources: [join(dir, `${compiled.name}_model.c`), join(dir, 'harness_model.c')],
    withHarness: true,
    includeDirs: [dir, KERNELS_DIR, HARNESS_DIR],
    outDir: dir,
  });
  return {
    run: (records) => runHost(exe, records, dir),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
