/**
 * Builds a firmware ELF for a board: renders the board's linker script and startup code, compiles
 * the given C sources with arm-none-eabi-gcc, links against newlib with semihosting (rdimon) and
 * libm, and measures the result with arm-none-eabi-size.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from './exec.ts';
import type { Board } from '../boards/board.ts';
import { compileFlags, LINK_LIBS, linkFlags } from './flags.ts';
import { renderLinkerScript, renderStartup } from './templates.ts';
import { checkTools, GCC, NM, READELF, SIZE } from './tools.ts';
import { HARNESS_DIR, kernelLibrary, objectLibrary, type ObjectLibrary } from './object-cache.ts';
import { UserError } from '../errors.ts';

export { checkTools } from './tools.ts';

/** The generic validation harness (its main reads records over semihosting and times them). */
export const HARNESS_MAIN = path.join(HARNESS_DIR, 'main.c');

export interface BuildOptions {
  board: Board;
  /** The model's C sources: compiled unless the cache holds them (same flags, text and headers). */
  sources: string[];
  /**
   * Link the kernel library, compiled once per board flags and cached (see object-cache.ts); its
   * objects come right after the startup code's, before `sources`. The board's startup code is
   * always cached the same way.
   */
  withKernels?: boolean;
  /** Link the validation harness's main (HARNESS_MAIN, cached like the kernels) after `sources`. */
  withHarness?: boolean;
  includeDirs: string[];
  /** -D definitions; an empty value gives a bare -DNAME. */
  defines?: Record<string, string>;
  /** Receives linker.ld, startup.c, obj/, <name>.elf and <name>.map; created if missing. */
  outDir: string;
  extraCflags?: string[];
  /** Base name of the ELF (default "firmware"); it is the firmware's argv[0] under QEMU. */
  name?: string;
  /** Prebuilt object libraries (e.g. a yardstick's, see src/bench/yardstick) linked after `sources`. */
  objectLibraries?: ObjectLibrary[];
}

export interface SectionSize {
  name: string;
  size: number;
  address: number;
}

export interface BuildResult {
  elfPath: string;
  mapPath: string;
  linkerScriptPath: string;
  startupPath: string;
  /** As arm-none-eabi-size reports them: text (code + read-only data), data, bss (incl. stack, heap, arena). */
  sizes: { text: number; data: number; bss: number };
  /** Every allocated section of the ELF, e.g. .text, .tinygen.weights, .stack, .heap. */
  sections: SectionSize[];
  /** The kernel library linked in, when withKernels was given. */
  kernels?: ObjectLibrary;
  /** One object library per source, in the order of `sources` (with what the flags made gcc write beside each object). */
  sourceObjects: ObjectLibrary[];
}

export async function buildFirmware(options: BuildOptions): Promise<BuildResult> {
  const { board, outDir } = options;
  await checkTools(['gcc']);
  await mkdir(outDir, { recursive: true });

  const linkerScriptPath = path.join(outDir, 'linker.ld');
  const startupPath = path.join(outDir, 'startup.c');
  await writeFile(linkerScriptPath, renderLinkerScript(board));
  await writeFile(startupPath, renderStartup(board));

  // The kernels and the startup code read no -D: they take only the board's flags (and extra
  // ones such as stack-usage output), so one cached copy serves every build of the board.
  const libraryFlags = [...compileFlags(board), ...(options.extraCflags ?? [])];
  const boardFlags = [...libraryFlags, ...Object.entries(options.defines ?? {}).map(([name, value]) => (value === '' ? `-D${name}` : `-D${name}=${value}`))];
  const sources = options.sources.map((s) => path.resolve(s));
  const [startup, kernels, harness, ...sourceObjects] = await Promise.all([
    objectLibrary({ compiler: GCC, flags: libraryFlags, sources: [startupPath], includeDirs: [] }),
    options.withKernels ? kernelLibrary(GCC, libraryFlags) : undefined,
    // The harness's main reads the measurement defines (TINYGEN_PROFILE, TINYGEN_MEASURE_STACK).
    options.withHarness ? objectLibrary({ compiler: GCC, flags: boardFlags, sources: [HARNESS_MAIN], includeDirs: [HARNESS_DIR] }) : undefined,
    ...sources.map((source) =>
      objectLibrary({ compiler: GCC, flags: boardFlags, sources: [source], includeDirs: options.includeDirs }).catch((error: Error) => {
        throw new Error(`${GCC} failed to compile ${source} for board ${board.id}:\n${error.message.replace(/^.*?\n/, '')}`);
      }),
    ),
  ]);
  const objects = sourceObjects.flatMap((library) => library!.objects);
  const linked = [...startup!.objects, ...(kernels?.objects ?? []), ...objects, ...(options.objectLibraries ?? []).flatMap((l) => l.objects), ...(harness?.objects ?? [])];

  const name = options.name ?? 'firmware';
  const elfPath = path.join(outDir, `${name}.elf`);
  const mapPath = path.join(outDir, `${name}.map`);
  const link = await execa(GCC, [...linkFlags(board, linkerScriptPath, mapPath), ...linked, ...LINK_LIBS, '-o', elfPath], {
    reject: false,
    stdin: 'ignore',
  });
  if (link.failed) {
    // The fit check counts weights, arena, stack and heap; code and static data are only known
    // now. Running out of a region is the user's board being too small, not a tinygen bug.
    const overflows = [...link.stderr.matchAll(/region [`']?(\w+)'? overflowed by (\d+) bytes/g)].map((m) => `${m[1]} by ${m[2]} bytes`);
    if (overflows.length > 0) {
      throw new UserError(`the firmware does not fit board ${board.id} (${board.file}): the linker overflowed ${[...new Set(overflows)].join(', ')}`);
    }
    throw new Error(`${GCC} failed to link ${elfPath} for board ${board.id}:\n${link.stderr || link.message}`);
  }

  const [sizes, sections] = await Promise.all([berkeleySizes(elfPath), sectionSizes(elfPath)]);
  return { elfPath, mapPath, linkerScriptPath, startupPath, sizes, sections, ...(kernels ? { kernels } : {}), sourceObjects: sourceObjects as ObjectLibrary[] };
}

async function berkeleySizes(elfPath: string): Promise<BuildResult['sizes']> {
  const { stdout } = await execa(SIZE, ['-B', '-d', elfPath]);
  // "   text    data     bss     dec     hex filename" then one line of numbers.
  const numbers = stdout.trim().split('\n')[1]?.trim().split(/\s+/).slice(0, 3).map(Number);
  if (!numbers || numbers.length !== 3 || numbers.some((n) => !Number.isInteger(n))) {
    throw new Error(`cannot read the output of ${SIZE} for ${elfPath}:\n${stdout}`);
  }
  return { text: numbers[0]!, data: numbers[1]!, bss: numbers[2]! };
}

async function sectionSizes(elfPath: string): Promise<SectionSize[]> {
  const { stdout } = await execa(READELF, ['-S', '-W', elfPath]);
  // "  [ 1] .text  PROGBITS  00000000 001000 008ea0 00  AX  0   0 64": keep allocated (A) sections.
  const sections: SectionSize[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]{8})\s+[0-9a-f]+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([A-Za-z]*)\s/.exec(line);
    if (m && m[4]!.includes('A')) sections.push({ name: m[1]!, size: parseInt(m[3]!, 16), address: parseInt(m[2]!, 16) });
  }
  return sections;
}

/** The sizes of the functions an ELF defines whose names start with `prefix` (from nm). */
export async function functionSizes(elfPath: string, prefix: string): Promise<Map<string, number>> {
  const { stdout } = await execa(NM, ['--defined-only', '--print-size', elfPath]);
  const sizes = new Map<string, number>();
  // "<address> <size> <type> <name>"; code symbols are types t and T.
  for (const line of stdout.split('\n')) {
    const m = /^[0-9a-f]+ ([0-9a-f]+) [tT] (\S+)$/.exec(line.trim());
    if (m && m[2]!.startsWith(prefix)) sizes.set(m[2]!, parseInt(m[1]!, 16));
  }
  return sizes;
}
