/**
 * Boards are data: one JSON file per board under boards/. This module loads and checks them,
 * field by field, so a board author learns from one line what is wrong and where.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { PACKAGE_ROOT } from '../version.ts';
import { CPUS, knownCpus } from './cpus.ts';

export type RegionKind = 'flash' | 'ram';

export interface MemoryRegion {
  /** A linker-script identifier, e.g. FLASH. */
  name: string;
  origin: number;
  length: number;
  /** `flash`: read-only at run time (code, constants); `ram`: read-write. */
  kind: RegionKind;
}

/** Which region holds what. Every field names a `memory` region. */
export interface Placement {
  /** Vector table, code, read-only data (weights by default), and the .data load image. */
  code: string;
  /** Input sections `.rodata.tinygen.weights*` (default: the code region). */
  weights: string;
  /** .data, .bss and the heap. Must be RAM. */
  data: string;
  /** Input sections `.bss.tinygen.arena*`, not zeroed (default: the data region). Must be RAM. */
  arena: string;
  /** The main stack (default: the data region). Must be RAM. */
  stack: string;
  /** Bytes reserved for the main stack; a multiple of 8. */
  stackSize: number;
  /** Bytes reserved for malloc (newlib's stdio needs a few KiB under semihosting); a multiple of 8. */
  heapSize: number;
}

export type UartKind = 'cmsdk' | 'stm32-usart';

/**
 * A UART console: its register layout, base address, baud rate (default 115200), and the clock
 * that feeds the UART's baud-rate generator (default: the board's clockHz).
 */
export interface UartConsole {
  uart: { kind: UartKind; base: number; baud: number; clockHz: number };
}

export type BoardConsole = 'semihosting' | 'none' | UartConsole;

export const UART_KINDS: readonly UartKind[] = ['cmsdk', 'stm32-usart'];
export const DEFAULT_BAUD = 115200;

/** The board's UART console, or undefined when stdout is semihosting or nowhere. */
export function uartConsole(board: Pick<Board, 'console'>): UartConsole['uart'] | undefined {
  return typeof board.console === 'object' ? board.console.uart : undefined;
}

export type PlacementRole = 'code' | 'weights' | 'data' | 'arena' | 'stack';

export interface Board {
  id: string;
  description: string;
  /** gcc's -mcpu name, a key of CPUS in cpus.ts. */
  cpu: string;
  /** gcc's FPU name (e.g. fpv4-sp-d16), or null for a core without one. */
  fpu: string | null;
  features: { dsp: boolean; mve: boolean };
  clockHz: number;
  memory: MemoryRegion[];
  placement: Placement;
  /**
   * Where stdout and stderr go: `semihosting` (a debugger or QEMU), `none`, or a UART that the
   * startup code drives (polled) and retargets newlib's `_write` for file descriptors 1 and 2 to.
   */
  console: BoardConsole;
  /** The QEMU machine that emulates the board; absent for boards that are only built. */
  qemu?: { machine: string; cpu?: string };
  /**
   * Whether firmware for the board uses Arm semihosting (newlib's rdimon: console, files, exit),
   * which needs a debugger or QEMU attached. Without it (the default for a board with no QEMU
   * machine: a real part), the startup code starts the C library itself, stdout goes to the UART
   * console or nowhere, and exit and faults stop the core. validate and bench need semihosting.
   */
  semihosting: boolean;
  /** The file the board was loaded from, as shown in messages. */
  file: string;
}

/** Why a board without semihosting cannot be validated or benchmarked. */
export function semihostingNeeded(board: Pick<Board, 'id' | 'file'>): string {
  return `board ${board.id} is built without semihosting ("semihosting": false in ${board.file}): validate and bench read their records over semihosting, so they need a board that uses it`;
}

/** boards/ in the package root (found from this module's URL, see src/version.ts). */
export const BOARDS_DIR = path.join(PACKAGE_ROOT, 'boards');

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const REGION_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Ids of the boards shipped in boards/, sorted. */
export function listBoardIds(): string[] {
  if (!existsSync(BOARDS_DIR)) return [];
  return readdirSync(BOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Every board shipped in boards/, loaded and checked (throws on the first bad one). */
export function listBoards(): Board[] {
  return listBoardIds().map((id) => loadBoard(id));
}

/**
 * Loads a board by id (boards/<id>.json in the package) or by path (anything ending in .json or
 * containing a path separator, relative to the working directory).
 */
export function loadBoard(idOrPath: string): Board {
  const isPath = idOrPath.endsWith('.json') || idOrPath.includes('/') || idOrPath.includes(path.sep);
  let file: string;
  if (isPath) {
    file = path.resolve(idOrPath);
    if (!existsSync(file)) throw new UserError(`board file ${idOrPath} does not exist`);
  } else {
    file = path.join(BOARDS_DIR, `${idOrPath}.json`);
    if (!ID_PATTERN.test(idOrPath) || !existsSync(file)) {
      const known = listBoardIds();
      throw new UserError(
        `unknown board "${idOrPath}"; known boards: ${known.length ? known.join(', ') : '(none)'} ` +
          `(or give the path of a board .json file)`,
      );
    }
  }
  const shown = displayPath(file);
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(jsonErrorMessage(shown, text, e as Error));
  }
  return parseBoard(json, shown, path.basename(file, '.json'));
}

/** The region a placement role lives in. */
export function placementRegion(board: Board, role: PlacementRole): MemoryRegion {
  const name = board.placement[role];
  const region = board.memory.find((r) => r.name === name);
  if (!region) throw new Error(`board ${board.id}: placement.${role} names no region (${name})`);
  return region;
}

function displayPath(file: string): string {
  for (const base of [process.cwd(), PACKAGE_ROOT]) {
    const rel = path.relative(base, file);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel;
  }
  return file;
}

// ---------------------------------------------------------------------------------------------
// Validation. Each reader takes the value and its JSON path, and returns the typed value; on a
// bad value it records one error and throws Invalid, which `guard` catches so that the fields
// that do not depend on the bad one are still checked. So one pass finds every independent error.

/** Thrown by the Checker after recording an error; never escapes parseBoard. */
class Invalid extends Error {}

/** A board file with one or more errors. `message` is the first; `errors` has them all, one line each. */
export class BoardError extends UserError {
  constructor(readonly errors: string[]) {
    super(errors.length > 1 ? `${errors[0]} (and ${errors.length - 1} more: run tinygen boards check on the file)` : errors[0]!);
  }
}

class Checker {
  readonly errors: string[] = [];
  private readonly reported: string[] = [];

  constructor(private readonly file: string) {}

  get fileName(): string {
    return this.file;
  }

  fail(at: string, message: string): never {
    // A path below one already reported (e.g. placement.code after "placement: missing") would only repeat it.
    const repeat = this.reported.some((p) => at === p || at.startsWith(`${p}.`) || at.startsWith(`${p}[`));
    if (!repeat) {
      this.reported.push(at);
      this.errors.push(`${this.file}: ${at || '(top level)'}: ${message}`);
    }
    throw new Invalid();
  }

  /** Runs one check; undefined if it failed (the error is recorded). */
  guard<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (e) {
      if (e instanceof Invalid) return undefined;
      throw e;
    }
  }

  expected(at: string, what: string, got: unknown): never {
    return this.fail(at, `expected ${what}, got ${describe(got)}`);
  }

  /** Unknown and missing fields are recorded without stopping: the known fields are still read. */
  object(v: unknown, at: string, required: string[], optional: string[] = []): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.expected(at, 'an object', v);
    const o = v as Record<string, unknown>;
    const known = [...required, ...optional];
    const misspelt = new Set<string>();
    for (const key of Object.keys(o)) {
      // Keys starting with "$" ($schema, $comment) are for people and editors.
      if (!key.startsWith('$') && !known.includes(key)) {
        const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
        if (near) misspelt.add(near);
        this.guard(() =>
          this.fail(join(at, key), near ? `unknown field (did you mean "${near}"?)` : `unknown field (known fields: ${known.join(', ')})`),
        );
      }
    }
    for (const key of required) {
      // A misspelt key is one mistake: "unknown field (did you mean ...)" says it all.
      if (!(key in o) && !misspelt.has(key)) this.guard(() => this.fail(join(at, key), 'missing (required)'));
      else if (!(key in o)) this.reported.push(join(at, key)); // reading it later fails without a second error
    }
    return o;
  }

  string(v: unknown, at: string, pattern?: RegExp, what = 'a non-empty string'): string {
    if (typeof v !== 'string' || v.length === 0 || (pattern && !pattern.test(v))) {
      return this.expected(at, what, v);
    }
    return v;
  }

  boolean(v: unknown, at: string): boolean {
    if (typeof v !== 'boolean') return this.expected(at, 'true or false', v);
    return v;
  }

  oneOf<T extends string>(v: unknown, at: string, values: readonly T[]): T {
    if (typeof v !== 'string' || !values.includes(v as T)) {
      return this.expected(at, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v);
    }
    return v as T;
  }

  /** A byte count or address: an integer, "0x…" hex, or decimal with a K or M suffix as in ld. */
  size(v: unknown, at: string, min: number, max: number): number {
    const what = `an integer from ${min} to ${max} (a number, a hex string like "0x400000", or a size like "16K" or "4M")`;
    let n: number | undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v)) n = v;
    else if (typeof v === 'string') {
      const h = /^0x([0-9a-f]+)$/i.exec(v);
      const d = /^([0-9]+)\s*([KM]?)$/.exec(v);
      if (h) n = parseInt(h[1]!, 16);
      else if (d) n = parseInt(d[1]!, 10) * (d[2] === 'K' ? 1024 : d[2] === 'M' ? 1024 * 1024 : 1);
    }
    if (n === undefined || !Number.isSafeInteger(n) || n < min || n > max) return this.expected(at, what, v);
    return n;
  }
}

function join(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

const TOP_REQUIRED = ['id', 'description', 'cpu', 'fpu', 'features', 'clockHz', 'memory', 'placement', 'console'];
const ADDRESS_LIMIT = 2 ** 32;

/**
 * Checks a parsed board file and returns the board, or throws a BoardError (a UserError) holding
 * every error found. `file` is only used in messages; `stem` is the file name without .json.
 */
export function parseBoard(json: unknown, file: string, stem?: string): Board {
  const { board, errors } = checkBoard(json, file, stem);
  if (!board) throw new BoardError(errors);
  return board;
}

/** Checks a parsed board file: the board if it is valid, and every error found, one line each. */
export function checkBoard(json: unknown, file: string, stem?: string): { board?: Board; errors: string[] } {
  const c = new Checker(file);
  const board = c.guard(() => readBoard(c, json, stem));
  if (c.errors.length > 0 || !board) return { errors: c.errors.length ? c.errors : [`${file}: (top level): invalid board`] };
  return { board, errors: [] };
}

/**
 * Reads a board file (its text) and checks it: every error found, or the board. Never throws for
 * a bad file; an unreadable one is one error.
 */
export function checkBoardFile(filePath: string): { board?: Board; errors: string[]; file: string } {
  const file = path.resolve(filePath);
  const shown = displayPath(file);
  if (!existsSync(file)) return { errors: [`${shown}: (file): does not exist`], file: shown };
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { errors: [jsonErrorMessage(shown, text, e as Error)], file: shown };
  }
  return { ...checkBoard(json, shown, path.basename(file, '.json')), file: shown };
}

function jsonErrorMessage(shown: string, text: string, e: Error): string {
  const position = /at position (\d+)/.exec(e.message);
  const line = position ? ` (line ${text.slice(0, Number(position[1])).split('\n').length})` : '';
  return `${shown}: not valid JSON${line}: ${e.message}`;
}

function readBoard(c: Checker, json: unknown, stem: string | undefined): Board | undefined {
  const o = c.object(json, '', TOP_REQUIRED, ['qemu', 'semihosting']);
  const g = <T>(check: () => T) => c.guard(check);

  const id = g(() => c.string(o.id, 'id', ID_PATTERN, 'a lower-case id of letters, digits, ".", "_" or "-"'));
  if (id !== undefined && stem !== undefined && id !== stem) g(() => c.fail('id', `expected "${stem}" (the file name), got ${describe(id)}`));
  const description = g(() => c.string(o.description, 'description'));

  const cpu = g(() => c.oneOf(o.cpu, 'cpu', knownCpus()));
  const info = cpu === undefined ? undefined : CPUS[cpu]!;
  const fpu = g((): string | null | undefined => {
    if (o.fpu === null) return null;
    if (!info) return undefined; // the cpu is wrong: which FPU names are right is unknown
    const fpuNames = Object.keys(info.fpus);
    if (fpuNames.length === 0) c.expected('fpu', `null (${cpu} has no FPU)`, o.fpu);
    return c.oneOf(o.fpu, 'fpu', fpuNames);
  });

  const features = g(() => {
    const f = c.object(o.features, 'features', ['dsp', 'mve']);
    const dsp = g(() => c.boolean(f.dsp, 'features.dsp'));
    const mve = g(() => c.boolean(f.mve, 'features.mve'));
    if (info && dsp && info.dsp === 'never') g(() => c.fail('features.dsp', `expected false (${cpu} has no DSP extension), got true`));
    if (info && mve && info.mve === 'never') g(() => c.fail('features.mve', `expected false (${cpu} has no MVE), got true`));
    if (info && mve && fpu === null) {
      g(() => c.fail('features.mve', 'expected false: tinygen supports MVE only with the FPU (fpu must not be null)'));
    }
    return dsp === undefined || mve === undefined ? undefined : { dsp, mve };
  });

  const clockHz = g(() => c.size(o.clockHz, 'clockHz', 1, 10_000_000_000));

  const memory = g((): MemoryRegion[] | undefined => {
    if (!Array.isArray(o.memory) || o.memory.length === 0) c.expected('memory', 'a non-empty array of regions', o.memory);
    const regions = (o.memory as unknown[]).map((r, i) =>
      g((): MemoryRegion | undefined => {
        const at = `memory[${i}]`;
        const ro = c.object(r, at, ['name', 'origin', 'length', 'kind']);
        const name = g(() => c.string(ro.name, `${at}.name`, REGION_NAME_PATTERN, 'a linker identifier like "FLASH" or "RAM"'));
        const origin = g(() => {
          const n = c.size(ro.origin, `${at}.origin`, 0, ADDRESS_LIMIT - 4);
          if (n % 4 !== 0) c.expected(`${at}.origin`, 'a multiple of 4', ro.origin);
          return n;
        });
        const length = g(() => c.size(ro.length, `${at}.length`, 4, ADDRESS_LIMIT - (origin ?? 0)));
        const kind = g(() => c.oneOf(ro.kind, `${at}.kind`, ['flash', 'ram'] as const));
        if (name === undefined || origin === undefined || length === undefined || kind === undefined) return undefined;
        return { name, origin, length, kind };
      }),
    );
    let clash = false;
    regions.forEach((r, i) => {
      if (!r) return;
      for (let j = 0; j < i; j++) {
        const q = regions[j];
        if (!q) continue;
        if (q.name === r.name) {
          clash = true;
          g(() => c.fail(`memory[${i}].name`, `"${r.name}" is already the name of memory[${j}]`));
        } else if (r.origin < q.origin + q.length && q.origin < r.origin + r.length) {
          clash = true;
          g(() => c.fail(`memory[${i}]`, `overlaps memory[${j}] ("${q.name}", ${hex(q.origin)}..${hex(q.origin + q.length)})`));
        }
      }
    });
    return !clash && regions.every((r) => r !== undefined) ? (regions as MemoryRegion[]) : undefined;
  });

  const placement = g((): Placement | undefined => {
    const p = c.object(o.placement, 'placement', ['code', 'data', 'stackSize', 'heapSize'], ['weights', 'arena', 'stack']);
    const stackSize = g(() => {
      const n = c.size(p.stackSize, 'placement.stackSize', 256, ADDRESS_LIMIT);
      if (n % 8 !== 0) c.expected('placement.stackSize', 'a multiple of 8', p.stackSize);
      return n;
    });
    const heapSize = g(() => {
      const n = c.size(p.heapSize, 'placement.heapSize', 0, ADDRESS_LIMIT);
      if (n % 8 !== 0) c.expected('placement.heapSize', 'a multiple of 8', p.heapSize);
      return n;
    });
    // Region names can only be checked against a valid memory list.
    if (!memory) return undefined;
    const names = memory.map((r) => r.name);
    const region = (v: unknown, role: PlacementRole, needRam: boolean) =>
      g(() => {
        const name = c.oneOf(v, `placement.${role}`, names);
        if (needRam && memory.find((r) => r.name === name)!.kind !== 'ram') {
          c.fail(`placement.${role}`, `expected a region of kind "ram", got "${name}" (kind "flash")`);
        }
        return name;
      });
    const code = region(p.code, 'code', false);
    const data = region(p.data, 'data', true);
    const weights = p.weights === undefined ? code : region(p.weights, 'weights', false);
    const arena = p.arena === undefined ? data : region(p.arena, 'arena', true);
    const stack = p.stack === undefined ? data : region(p.stack, 'stack', true);
    if (code === undefined || data === undefined || weights === undefined || arena === undefined || stack === undefined) return undefined;
    if (stackSize === undefined || heapSize === undefined) return undefined;
    const dataLength = memory.find((r) => r.name === data)!.length;
    const reserved = heapSize + (stack === data ? stackSize : 0);
    if (reserved > dataLength) {
      g(() => c.fail('placement', `stack and heap (${reserved} bytes) do not fit in region "${data}" (${dataLength} bytes)`));
    }
    const stackLength = memory.find((r) => r.name === stack)!.length;
    if (stackSize > stackLength) {
      g(() => c.fail('placement.stackSize', `${stackSize} bytes do not fit in region "${stack}" (${stackLength} bytes)`));
    }
    return { code, weights, data, arena, stack, stackSize, heapSize };
  });

  const consoleKind = g((): BoardConsole | undefined => {
    if (typeof o.console !== 'object' || o.console === null || Array.isArray(o.console)) {
      if (o.console === 'semihosting' || o.console === 'none') return o.console;
      if (typeof o.console === 'string') {
        return c.fail('console', `expected one of "semihosting", "none", got ${describe(o.console)} (a UART is an object: { "uart": { "kind": ..., "base": ... } })`);
      }
      return c.expected('console', '"semihosting", "none" or { "uart": { "kind": ..., "base": ... } }', o.console);
    }
    const co = c.object(o.console, 'console', ['uart']);
    const u = c.object(co.uart, 'console.uart', ['kind', 'base'], ['baud', 'clockHz']);
    const kind = g(() => c.oneOf(u.kind, 'console.uart.kind', UART_KINDS));
    const base = g(() => {
      const n = c.size(u.base, 'console.uart.base', 0, ADDRESS_LIMIT - 4);
      if (n % 4 !== 0) c.expected('console.uart.base', 'a multiple of 4 (a peripheral base address)', u.base);
      return n;
    });
    const baud = u.baud === undefined ? DEFAULT_BAUD : g(() => c.size(u.baud, 'console.uart.baud', 1, 100_000_000));
    const uartClock = u.clockHz === undefined ? clockHz : g(() => c.size(u.clockHz, 'console.uart.clockHz', 1, 10_000_000_000));
    if (baud !== undefined && uartClock !== undefined && Math.floor(uartClock / baud) < 16) {
      // Both divisors (CMSDK BAUDDIV, STM32 BRR with 16x oversampling) must be at least 16.
      const from = u.clockHz === undefined ? 'clockHz' : 'console.uart.clockHz';
      g(() => c.fail('console.uart.baud', `expected at most ${Math.floor(uartClock / 16)} (${from} / 16), got ${describe(u.baud ?? baud)}`));
    }
    if (kind === undefined || base === undefined || baud === undefined || uartClock === undefined) return undefined;
    return { uart: { kind, base, baud, clockHz: uartClock } };
  });

  let qemu: Board['qemu'];
  if (o.qemu !== undefined) {
    qemu = g(() => {
      const q = c.object(o.qemu, 'qemu', ['machine'], ['cpu']);
      const machine = g(() => c.string(q.machine, 'qemu.machine', /^[A-Za-z0-9._-]+$/, 'a QEMU machine name like "mps2-an386"'));
      const qcpu = q.cpu === undefined ? undefined : g(() => c.string(q.cpu, 'qemu.cpu', /^[A-Za-z0-9._-]+$/, 'a QEMU cpu name like "cortex-m4"'));
      if (consoleKind === 'none' && o.semihosting !== false) {
        g(() => c.fail('console', 'expected "semihosting" or a UART: a board with a QEMU machine runs the harness over semihosting'));
      }
      if (machine === undefined || (q.cpu !== undefined && qcpu === undefined)) return undefined;
      return qcpu === undefined ? { machine } : { machine, cpu: qcpu };
    });
  }

  const semihosting = o.semihosting === undefined ? o.qemu !== undefined : g(() => {
    if (typeof o.semihosting !== 'boolean') return c.expected('semihosting', 'true or false', o.semihosting);
    if (!o.semihosting && consoleKind === 'semihosting') return c.fail('semihosting', 'expected true: the console is "semihosting"; give a UART or "none" to build without it');
    return o.semihosting;
  });

  if (
    id === undefined || description === undefined || cpu === undefined || fpu === undefined || features === undefined ||
    clockHz === undefined || memory === undefined || placement === undefined || consoleKind === undefined || semihosting === undefined
  ) {
    return undefined;
  }
  const board: Board = { id, description, cpu, fpu, features, clockHz, memory, placement, console: consoleKind, semihosting, file: c.fileName };
  if (qemu) board.qemu = qemu;
  return board;
}
