/**
 * A compiled model built for the host (gcc with ASan/UBSan) around the stdio harness: the fast
 * way to run the generated C, used by the conformance runner and the differential tests.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Compiled } from '../pipeline.ts';
import { generate } from '../pipeline.ts';
import { modelSourceFile, type GeneratedModel } from '../codegen/generate.ts';
import { generateHarnessAdapter } from '../codegen/harness.ts';
import { buildHost, runHost } from '../toolchain/host.ts';
import { HARNESS_DIR, KERNELS_DIR } from '../toolchain/object-cache.ts';

export interface HostModel {
  /** Runs concatenated input records; returns the concatenated output records. `extraArgs` follow the harness's two files. */
  run(records: Uint8Array, extraArgs?: string[]): Promise<Uint8Array>;
  /** The folder holding the sources, the build and the record files. */
  dir: string;
  dispose(): void;
}

export interface HostModelOptions {
  /** The model already generated (else generated here). */
  generated?: GeneratedModel;
  /** -D definitions for the model and the harness, e.g. TINYGEN_TRACE (whose harness takes a trace file as a third argument). */
  defines?: string[];
  /** Test seam: edits the generated sources before the build. */
  mutateSources?: (files: Map<string, string>) => void;
  /** Build here (kept) instead of in a temporary folder that dispose() removes. */
  dir?: string;
}

export async function buildHostModel(compiled: Compiled, options: HostModelOptions = {}): Promise<HostModel> {
  const generated = options.generated ?? generate(compiled);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tinygen-host-'));
  mkdirSync(dir, { recursive: true });
  const files = new Map([...generated.files, ...generateHarnessAdapter(compiled.name, generated)]);
  options.mutateSources?.(files);
  for (const [file, text] of files) writeFileSync(join(dir, file), text);
  const exe = await buildHost({
    sources: [join(dir, modelSourceFile(compiled.name)), join(dir, 'harness_model.c')],
    withHarness: true,
    includeDirs: [dir, KERNELS_DIR, HARNESS_DIR],
    outDir: dir,
    ...(options.defines ? { defines: options.defines } : {}),
  });
  return {
    run: (records, extraArgs) => runHost(exe, records, dir, extraArgs),
    dir,
    dispose: () => {
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
