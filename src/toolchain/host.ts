/**
 * Host builds: the same generated C and kernels compiled with the machine's gcc, under
 * AddressSanitizer and UBSan, for fast differential tests and the conformance runner.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { PACKAGE_ROOT } from '../version.ts';

export const KERNELS_DIR = join(PACKAGE_ROOT, 'firmware', 'kernels');
export const HARNESS_DIR = join(PACKAGE_ROOT, 'firmware', 'harness');

export function kernelSources(): string[] {
  return readdirSync(KERNELS_DIR)
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => join(KERNELS_DIR, f));
}

/** Every file of the kernel library (sources and headers), as `tinygen compile` ships it. */
export function kernelLibraryFiles(): string[] {
  return readdirSync(KERNELS_DIR)
    .filter((f) => f.endsWith('.c') || f.endsWith('.h'))
    .sort()
    .map((f) => join(KERNELS_DIR, f));
}

export interface HostBuild {
  /** Sources besides the kernel library, which is always linked in. */
  sources: string[];
  includeDirs: string[];
  outDir: string;
  sanitize?: boolean;
  defines?: string[];
}

export const HOST_CFLAGS = ['-std=c11', '-O1', '-g', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off'];
const SANITIZE = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'];

async function gcc(args: string[]): Promise<void> {
  const result = await execa('gcc', args, { reject: false, all: true });
  if (result.exitCode !== 0) throw new Error(`host gcc failed:\n${result.all}`);
}

const libraries = new Map<string, Promise<string>>();

/**
 * The kernel library compiled once per content and flags, kept in the temp dir: every host build
 * of a model links it instead of recompiling every kernel under the sanitizers.
 */
function kernelLibrary(flags: string[]): Promise<string> {
  const hash = createHash('sha256').update(flags.join(' '));
  for (const file of readdirSync(KERNELS_DIR).sort()) hash.update(file).update(readFileSync(join(KERNELS_DIR, file)));
  const key = hash.digest('hex').slice(0, 16);
  let library = libraries.get(key);
  if (!library) {
    library = (async () => {
      const dir = join(tmpdir(), `tinygen-kernels-${key}`);
      const archive = join(dir, 'libtinygen_kernels.a');
      if (existsSync(archive)) return archive;
      // Built aside and renamed into place, so concurrent processes never see half an archive.
      const staging = mkdtempSync(join(tmpdir(), 'tinygen-kernels-build-'));
      const objects = kernelSources().map((src) => join(staging, basename(src, '.c') + '.o'));
      await Promise.all(kernelSources().map((src, i) => gcc([...flags, `-I${KERNELS_DIR}`, '-c', src, '-o', objects[i]!])));
      await execa('ar', ['rcs', join(staging, 'libtinygen_kernels.a'), ...objects]);
      try {
        renameSync(staging, dir);
      } catch {
        rmSync(staging, { recursive: true, force: true }); // another process won the race
      }
      return archive;
    })();
    libraries.set(key, library);
  }
  return library;
}

/** Compiles and links a host executable with the kernel library; gcc's diagnostics are in the thrown error. */
export async function buildHost(build: HostBuild): Promise<string> {
  mkdirSync(build.outDir, { recursive: true });
  const exe = join(build.outDir, 'host_harness');
  const flags = [...HOST_CFLAGS, ...(build.sanitize === false ? [] : SANITIZE)];
  const library = await kernelLibrary(flags);
  await gcc([...flags, ...build.includeDirs.map((d) => `-I${d}`), ...(build.defines ?? []).map((d) => `-D${d}`), ...build.sources, library, '-lm', '-o', exe]);
  return exe;
}

/** Runs a host harness over concatenated input records; returns the concatenated outputs. */
export async function runHost(exe: string, inputs: Uint8Array, workDir: string): Promise<Uint8Array> {
  const inPath = join(workDir, 'inputs.bin');
  const outPath = join(workDir, 'outputs.bin');
  writeFileSync(inPath, inputs);
  const result = await execa(exe, [inPath, outPath], { reject: false, all: true });
  if (result.exitCode !== 0) throw new Error(`host harness exited with ${result.exitCode}:\n${result.all}`);
  return new Uint8Array(readFileSync(outPath));
}
