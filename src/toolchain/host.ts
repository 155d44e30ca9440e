/**
 * Host builds: the same generated C and kernels compiled with the machine's gcc, under
 * AddressSanitizer and UBSan, for fast differential tests and the conformance runner. The kernels
 * come from the on-disk cache, compiled once per flags.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from './exec.ts';
import { HARNESS_DIR, kernelLibrary, objectLibrary } from './object-cache.ts';

export interface HostBuild {
  /** Sources besides the kernel library, which is always linked in. */
  sources: string[];
  /** Link the stdio harness (firmware/harness/host_main.c), cached like the kernels. */
  withHarness?: boolean;
  includeDirs: string[];
  outDir: string;
  sanitize?: boolean;
  /** -D definitions (NAME or NAME=VALUE) for every source, the cached harness included (e.g. TINYGEN_TRACE). */
  defines?: string[];
}

// The sanitized compile of a model's kernel instances is most of a differential test's time: -Og
// and -g1 (line tables only, enough for the sanitizers' reports to name file and line) compile a
// residual block's model in 0.6 s where -O1 -g took 2.0 s. Firmware builds keep their own flags.
export const HOST_CFLAGS = ['-std=c11', '-Og', '-g1', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off'];
const SANITIZE = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'];

/**
 * gold links these ASan/UBSan executables in under half the CPU time of the default bfd linker
 * (the differential tests link hundreds of them); the same objects go in, so the program is the
 * same. Where gcc cannot use gold, the default linker.
 */
let linkerFlags: Promise<string[]> | undefined;
function fastLinker(): Promise<string[]> {
  linkerFlags ??= execa('gcc', ['-fuse-ld=gold', '-Wl,--version'], { reject: false, stdin: 'ignore' }).then(
    (r) => (r.exitCode === 0 && /GNU gold/.test(r.stdout) ? ['-fuse-ld=gold'] : []),
    () => [],
  );
  return linkerFlags;
}

async function gcc(args: string[]): Promise<void> {
  const result = await execa('gcc', args, { reject: false, all: true });
  if (result.exitCode !== 0) throw new Error(`host gcc failed:\n${result.all}`);
}

/** Compiles and links a host executable with the kernel library; gcc's diagnostics are in the thrown error. */
export async function buildHost(build: HostBuild): Promise<string> {
  mkdirSync(build.outDir, { recursive: true });
  const exe = join(build.outDir, 'host_harness');
  const flags = [...HOST_CFLAGS, ...(build.sanitize === false ? [] : SANITIZE)];
  const defines = (build.defines ?? []).map((d) => `-D${d}`);
  // The kernels read no -D; the harness reads TINYGEN_TRACE, so it is cached once per define set.
  const [kernels, harness, linker, ...sources] = await Promise.all([
    kernelLibrary('gcc', flags),
    build.withHarness ? objectLibrary({ compiler: 'gcc', flags: [...flags, ...defines], sources: [join(HARNESS_DIR, 'host_main.c')], includeDirs: [HARNESS_DIR] }) : undefined,
    fastLinker(),
    // The model's sources are cached too: a test run compiles again only what changed.
    ...build.sources.map((source) => objectLibrary({ compiler: 'gcc', flags: [...flags, ...defines], sources: [source], includeDirs: build.includeDirs })),
  ]);
  const objects = [...sources.flatMap((library) => library.objects), ...kernels.objects, ...(harness?.objects ?? [])];
  await gcc([...flags, ...linker, ...objects, '-lm', '-o', exe]);
  return exe;
}

/**
 * Runs a host harness over concatenated input records; returns the concatenated outputs.
 * `extraArgs` follow the two files (a TINYGEN_TRACE build takes its trace file there).
 */
export async function runHost(exe: string, inputs: Uint8Array, workDir: string, extraArgs: string[] = []): Promise<Uint8Array> {
  const inPath = join(workDir, 'inputs.bin');
  const outPath = join(workDir, 'outputs.bin');
  writeFileSync(inPath, inputs);
  const result = await execa(exe, [inPath, outPath, ...extraArgs], { reject: false, all: true });
  if (result.exitCode !== 0) throw new Error(`host harness exited with ${result.exitCode}:\n${result.all}`);
  return new Uint8Array(readFileSync(outPath));
}
