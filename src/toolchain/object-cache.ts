/**
 * Compiled objects kept on disk, once per (compiler, flags, source, headers): the kernel library
 * and the other sources that do not depend on the model (the harness's main, a board's startup
 * code), and each model's own sources too, so validating a model again, or on another board of
 * the same CPU, compiles nothing. Every build of the same key links the very same objects, so a
 * cached build gives the same image as a fresh one.
 *
 * The cache lives in $TINYGEN_CACHE, else $XDG_CACHE_HOME/tinygen, else ~/.cache/tinygen. An entry
 * is a folder named by the key's hash; it is built aside and renamed into place, so concurrent
 * processes never see half of one. `--no-cache` (or TINYGEN_NO_CACHE=1) compiles into a temp
 * folder that is removed when the process exits.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { execa } from './exec.ts';
import { PACKAGE_ROOT } from '../version.ts';
import { limitToCpus } from './parallel.ts';
import { toolVersion } from './tools.ts';

export const KERNELS_DIR = join(PACKAGE_ROOT, 'firmware', 'kernels');
/** The validation harness: main.c for the boards, host_main.c for the host, and their contract harness_model.h. */
export const HARNESS_DIR = join(PACKAGE_ROOT, 'firmware', 'harness');

/**
 * Entries kept; the least recently used beyond this are removed (an entry is touched whenever a
 * build uses it). A kernel library is a few hundred KB (several checkouts and every board's flags
 * share the folder); a model's object is mostly a few KB to a few hundred (its weights), up to
 * about 2 MB for an ASan build of a large model. tinygen's own test suite makes about 2,000.
 */
const MAX_ENTRIES = 4096;
/** New entries between two prunes (each one lists the whole folder). */
const PRUNE_EVERY = 64;

/** Every file of the kernel library (sources and headers). */
export function kernelLibraryFiles(): string[] {
  return readdirSync(KERNELS_DIR)
    .filter((f) => f.endsWith('.c') || f.endsWith('.h'))
    .sort()
    .map((f) => join(KERNELS_DIR, f));
}

export function kernelSources(): string[] {
  return kernelLibraryFiles().filter((f) => f.endsWith('.c'));
}

/** A function definition in a kernel source: its signature alone on a line, at the margin, not static. */
const DEFINITION = /^(?!static\b)[a-z][\w ]*[\s*](tg_\w+)\(.*\)$/gm;
const CALL = /\b(tg_\w+)\s*\(/g;
/** A prototype (tinygen_kernels.h declares every kernel): it names a function without calling it. */
const PROTOTYPE = /^[a-z][\w ]*[\s*]tg_\w+\([^;{]*\);$/gm;
const INCLUDE = /^#include "([^"]+)"/gm;

/**
 * The kernel library files a model needs, as `tinygen compile` ships them: every header, and the
 * sources that define a function the model's C calls, directly or through the headers it
 * includes and the sources already taken.
 */
export function kernelFilesFor(modelSources: readonly string[]): string[] {
  const files = kernelLibraryFiles();
  const text = new Map(files.map((file) => [basename(file), readFileSync(file, 'utf8')]));
  const definedIn = new Map<string, string>();
  for (const [name, source] of text) {
    if (name.endsWith('.c')) for (const [, fn] of source.matchAll(DEFINITION)) definedIn.set(fn!, name);
  }
  const taken = new Set<string>();
  const pending = [...modelSources];
  while (pending.length > 0) {
    const source = pending.pop()!;
    for (const [, header] of source.matchAll(INCLUDE)) {
      if (text.has(header!) && !taken.has(header!)) {
        taken.add(header!);
        pending.push(text.get(header!)!);
      }
    }
    for (const [, fn] of source.replace(PROTOTYPE, '').matchAll(CALL)) {
      const file = definedIn.get(fn!);
      if (file && !taken.has(file)) {
        taken.add(file);
        pending.push(text.get(file)!);
      }
    }
  }
  return files.filter((file) => file.endsWith('.h') || taken.has(basename(file)));
}

let cacheDisabled = process.env.TINYGEN_NO_CACHE === '1';

/** `--no-cache`: every build of this process compiles its sources afresh. */
export function disableObjectCache(): void {
  cacheDisabled = true;
}

export function objectCacheDir(): string {
  if (process.env.TINYGEN_CACHE) return process.env.TINYGEN_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tinygen');
}

export interface ObjectLibrary {
  /** Folder holding one object per source (and whatever else the flags make gcc write, e.g. .su and .ci files). */
  dir: string;
  /** The objects, in the order of the sources. */
  objects: string[];
}

export interface ObjectLibraryRequest {
  /** The C compiler: 'gcc' or 'arm-none-eabi-gcc'. */
  compiler: string;
  /** Every flag the sources compile with; part of the key. */
  flags: string[];
  /** Sources with distinct base names; their contents are part of the key. */
  sources: string[];
  /**
   * The only folders they include from (-I), a source's own folder included when it has headers;
   * every header in them (and in their subfolders) is part of the key.
   */
  includeDirs: string[];
}

const libraries = new Map<string, Promise<ObjectLibrary>>();
let entriesMade = 0;
let scratchRoot: string | undefined;

/** The kernel library for a compiler and flags. */
export function kernelLibrary(compiler: string, flags: string[]): Promise<ObjectLibrary> {
  return objectLibrary({ compiler, flags, sources: kernelSources(), includeDirs: [KERNELS_DIR] });
}

/** Objects for model-independent sources: from the cache, or compiled (in parallel, one gcc per CPU) and cached. */
export async function objectLibrary(request: ObjectLibraryRequest): Promise<ObjectLibrary> {
  const hash = createHash('sha256').update((await toolVersion(request.compiler)) ?? '').update('\0').update(request.flags.join('\0'));
  const field = (name: string, bytes: Buffer) => hash.update('\0').update(name).update('\0').update(bytes);
  for (const source of request.sources) field(basename(source), readFileSync(source));
  // In -I order, the order gcc searches them.
  for (const dir of request.includeDirs) {
    hash.update('\0include folder');
    for (const file of headersUnder(dir)) field(relative(dir, file), readFileSync(file));
  }
  const key = `${basename(request.compiler)}-${hash.digest('hex').slice(0, 20)}`;
  const known = libraries.get(key);
  if (known) {
    // A long run (a validate of many models, tflm-diff --host-c) makes thousands of entries: each
    // use touches the library so the pruning keeps it, and one pruned meanwhile (by another
    // process) is built again rather than linked from a folder that is gone.
    const library = await known.catch(() => undefined);
    // A build that failed fails every caller that waited on it; it is not compiled again here.
    if (!library) return known;
    if (existsSync(join(library.dir, 'complete'))) {
      touch(library.dir);
      return library;
    }
    if (libraries.get(key) === known) libraries.delete(key);
  }
  let library = libraries.get(key);
  if (!library) {
    library = buildLibrary(key, request);
    libraries.set(key, library);
    library.catch(() => libraries.delete(key));
  }
  return library;
}

/** Every header in `dir` and its subfolders, sorted (a third-party include tree has an Internal/ folder). */
function headersUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => (entry.isDirectory() ? headersUnder(join(dir, entry.name)) : entry.name.endsWith('.h') ? [join(dir, entry.name)] : []));
}

function objectsIn(dir: string, sources: string[]): string[] {
  return sources.map((src) => join(dir, `${basename(src).replace(/\.[^.]*$/, '')}.o`));
}

async function buildLibrary(key: string, request: ObjectLibraryRequest): Promise<ObjectLibrary> {
  const root = cacheDisabled ? (scratchRoot ??= temporaryRoot()) : usableCacheRoot();
  const dir = join(root, key);
  const cached = (): ObjectLibrary | undefined => {
    if (!existsSync(join(dir, 'complete'))) return undefined;
    touch(dir);
    return { dir, objects: objectsIn(dir, request.sources) };
  };
  const ready = cached();
  if (ready) return ready;
  // One process builds a key at a time: the others (test workers, the CLIs they spawn, parallel
  // builds) wait for it instead of compiling the same files; on a cold cache half the kernel
  // compiles of the test suite were such duplicates.
  const lock = join(root, `.lock-${key}`);
  while (!takeLock(lock)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const built = cached();
    if (built) return built;
  }
  try {
    return cached() ?? (await compileLibrary(root, dir, key, request));
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Takes the lock file, or clears it when its holder has died or held it implausibly long. */
function takeLock(lock: string): boolean {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    try {
      const holder = Number(readFileSync(lock, 'utf8'));
      // (An empty file is a lock being written: only its age can make it stale.)
      const stale = Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS || (holder > 0 && !processAlive(holder));
      if (stale) rmSync(lock, { force: true });
    } catch {
      // released meanwhile: the next try takes it
    }
    return false;
  }
}

/** No kernel library takes this long to compile: a lock older than this is left over. */
const LOCK_STALE_MS = 10 * 60_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function compileLibrary(root: string, dir: string, key: string, request: ObjectLibraryRequest): Promise<ObjectLibrary> {
  const staging = mkdtempSync(join(root, `.building-${key}-`));
  try {
    const sources = request.sources;
    const objects = objectsIn(staging, sources);
    await Promise.all(
      sources.map((src, i) =>
        limitToCpus(async () => {
          const result = await execa(request.compiler, [...request.flags, ...request.includeDirs.map((d) => `-I${d}`), '-c', src, '-o', objects[i]!], { reject: false, all: true, stdin: 'ignore', cwd: staging });
          if (result.exitCode !== 0) throw new Error(`${request.compiler} failed to compile ${src}:\n${result.all}`);
        }),
      ),
    );
    mkdirSync(join(staging, 'complete'));
    try {
      renameSync(staging, dir);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process made the same entry first
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (!cacheDisabled && entriesMade++ % PRUNE_EVERY === 0) prune(root);
  return { dir, objects: objectsIn(dir, request.sources) };
}

function usableCacheRoot(): string {
  const root = objectCacheDir();
  try {
    mkdirSync(root, { recursive: true });
    return root;
  } catch {
    // A read-only home: fall back to a temp folder rather than fail the build.
    return (scratchRoot ??= temporaryRoot());
  }
}

function temporaryRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'tinygen-kernels-'));
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  return root;
}

function touch(dir: string): void {
  const now = new Date();
  try {
    utimesSync(dir, now, now);
  } catch {
    // only the pruning order depends on it
  }
}

function prune(root: string): void {
  // Another process may prune at the same time: an entry gone meanwhile is skipped.
  const lastUse = (path: string) => {
    try {
      return statSync(path).mtimeMs;
    } catch {
      return undefined;
    }
  };
  const entries = readdirSync(root)
    .filter((name) => !name.startsWith('.'))
    .map((name) => ({ path: join(root, name), used: lastUse(join(root, name)) }))
    .filter((entry): entry is { path: string; used: number } => entry.used !== undefined)
    .sort((a, b) => b.used - a.used);
  for (const stale of entries.slice(MAX_ENTRIES)) rmSync(stale.path, { recursive: true, force: true });
}
