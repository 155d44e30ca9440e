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
  /** Input sections `.tinygen.weights*` (default: the code region). */
  weights: string;
  /** .data, .bss and the heap. Must be RAM. */
  data: string;
  /** Input sections `.tinygen.arena*`, not zeroed (default: the data region). Must be RAM. */
  arena: string;
  /** The main stack (default: the data region). Must be RAM. */
  stack: string;
  /** Bytes reserved for the main stack; a multiple of 8. */
  stackSize: number;
  /** Bytes reserved for malloc (newlib's stdio needs a few KiB under semihosting); a multiple of 8. */
  heapSize: number;
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
  /** Where stdout and file I/O go: `semihosting` (a debugger or QEMU), or `none`. */
  console: 'semihosting' | 'none';
  /** The QEMU machine that emulates the board; absent for boards that are only built. */
  qemu?: { machine: string; cpu?: string };
  /** The file the board was loaded from, as shown in messages. */
  file: string;
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
    const message = (e as Error).message;
    const position = /at position (\d+)/.exec(message);
    const line = position ? ` (line ${text.slice(0, Number(position[1])).split('\n').length})` : '';
    throw new UserError(`${shown}: not valid JSON${line}: ${message}`);
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
// Validation. Each reader takes the value, its JSON path and returns the typed value or throws.

class Checker {
  constructor(private readonly file: string) {}

  fail(at: string, message: string): never {
    throw new UserError(`${this.file}: ${at || '(top level)'}: ${message}`);
  }

  expected(at: string, what: string, got: unknown): never {
    return this.fail(at, `expected ${what}, got ${describe(got)}`);
  }

  object(v: unknown, at: string, required: string[], optional: string[] = []): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.expected(at, 'an object', v);
    const o = v as Record<string, unknown>;
    const known = [...required, ...optional];
    for (const key of Object.keys(o)) {
      // Keys starting with "$" ($schema, $comment) are for people and editors.
      if (!key.startsWith('$') && !known.includes(key)) {
        const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
        this.fail(join(at, key), near ? `unknown field (did you mean "${near}"?)` : `unknown field (known fields: ${known.join(', ')})`);
      }
    }
    for (const key of required) {
      if (!(key in o)) this.fail(join(at, key), 'missing (required)');
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

/** Checks a parsed board file. `file` is only used in messages; `stem` is the file name without .json. */
export function parseBoard(json: unknown, file: string, stem?: string): Board {
  const c = new Checker(file);
  const o = c.object(json, '', TOP_REQUIRED, ['qemu']);

  const id = c.string(o.id, 'id', ID_PATTERN, 'a lower-case id of letters, digits, ".", "_" or "-"');
  if (stem !== undefined && id !== stem) c.fail('id', `expected "${stem}" (the file name), got ${describe(id)}`);
  const description = c.string(o.description, 'description');

  const cpu = c.oneOf(o.cpu, 'cpu', knownCpus());
  const info = CPUS[cpu]!;
  const fpuNames = Object.keys(info.fpus);
  let fpu: string | null = null;
  if (o.fpu !== null) {
    if (fpuNames.length === 0) c.expected('fpu', `null (${cpu} has no FPU)`, o.fpu);
    fpu = c.oneOf(o.fpu, 'fpu', fpuNames);
  }

  const f = c.object(o.features, 'features', ['dsp', 'mve']);
  const dsp = c.boolean(f.dsp, 'features.dsp');
  const mve = c.boolean(f.mve, 'features.mve');
  if (dsp && info.dsp === 'never') c.fail('features.dsp', `expected false (${cpu} has no DSP extension), got true`);
  if (mve && info.mve === 'never') c.fail('features.mve', `expected false (${cpu} has no MVE), got true`);
  if (mve && fpu === null) c.fail('features.mve', 'expected false: tinygen supports MVE only with the FPU (fpu must not be null)');

  const clockHz = c.size(o.clockHz, 'clockHz', 1, 10_000_000_000);

  if (!Array.isArray(o.memory) || o.memory.length === 0) c.expected('memory', 'a non-empty array of regions', o.memory);
  const memory: MemoryRegion[] = (o.memory as unknown[]).map((r, i) => {
    const at = `memory[${i}]`;
    const ro = c.object(r, at, ['name', 'origin', 'length', 'kind']);
    const name = c.string(ro.name, `${at}.name`, REGION_NAME_PATTERN, 'a linker identifier like "FLASH" or "RAM"');
    const origin = c.size(ro.origin, `${at}.origin`, 0, ADDRESS_LIMIT - 4);
    if (origin % 4 !== 0) c.expected(`${at}.origin`, 'a multiple of 4', ro.origin);
    const length = c.size(ro.length, `${at}.length`, 4, ADDRESS_LIMIT - origin);
    const kind = c.oneOf(ro.kind, `${at}.kind`, ['flash', 'ram'] as const);
    return { name, origin, length, kind };
  });
  memory.forEach((r, i) => {
    for (let j = 0; j < i; j++) {
      const q = memory[j]!;
      if (q.name === r.name) c.fail(`memory[${i}].name`, `"${r.name}" is already the name of memory[${j}]`);
      if (r.origin < q.origin + q.length && q.origin < r.origin + r.length) {
        c.fail(`memory[${i}]`, `overlaps memory[${j}] ("${q.name}", ${hex(q.origin)}..${hex(q.origin + q.length)})`);
      }
    }
  });

  const p = c.object(o.placement, 'placement', ['code', 'data', 'stackSize', 'heapSize'], ['weights', 'arena', 'stack']);
  const names = memory.map((r) => r.name);
  const region = (v: unknown, role: PlacementRole, needRam: boolean): string => {
    const name = c.oneOf(v, `placement.${role}`, names);
    if (needRam && memory.find((r) => r.name === name)!.kind !== 'ram') {
      c.fail(`placement.${role}`, `expected a region of kind "ram", got "${name}" (kind "flash")`);
    }
    return name;
  };
  const code = region(p.code, 'code', false);
  const data = region(p.data, 'data', true);
  const placement: Placement = {
    code,
    weights: p.weights === undefined ? code : region(p.weights, 'weights', false),
    data,
    arena: p.arena === undefined ? data : region(p.arena, 'arena', true),
    stack: p.stack === undefined ? data : region(p.stack, 'stack', true),
    stackSize: c.size(p.stackSize, 'placement.stackSize', 256, ADDRESS_LIMIT),
    heapSize: c.size(p.heapSize, 'placement.heapSize', 0, ADDRESS_LIMIT),
  };
  if (placement.stackSize % 8 !== 0) c.expected('placement.stackSize', 'a multiple of 8', p.stackSize);
  if (placement.heapSize % 8 !== 0) c.expected('placement.heapSize', 'a multiple of 8', p.heapSize);
  const dataLength = memory.find((r) => r.name === data)!.length;
  const reserved = placement.heapSize + (placement.stack === data ? placement.stackSize : 0);
  if (reserved > dataLength) {
    c.fail('placement', `stack and heap (${reserved} bytes) do not fit in region "${data}" (${dataLength} bytes)`);
  }
  const stackLength = memory.find((r) => r.name === placement.stack)!.length;
  if (placement.stackSize > stackLength) {
    c.fail('placement.stackSize', `${placement.stackSize} bytes do not fit in region "${placement.stack}" (${stackLength} bytes)`);
  }

  const consoleKind = c.oneOf(o.console, 'console', ['semihosting', 'none'] as const);

  const board: Board = { id, description, cpu, fpu, features: { dsp, mve }, clockHz, memory, placement, console: consoleKind, file };
  if (o.qemu !== undefined) {
    const q = c.object(o.qemu, 'qemu', ['machine'], ['cpu']);
    const machine = c.string(q.machine, 'qemu.machine', /^[A-Za-z0-9._-]+$/, 'a QEMU machine name like "mps2-an386"');
    const qcpu = q.cpu === undefined ? undefined : c.string(q.cpu, 'qemu.cpu', /^[A-Za-z0-9._-]+$/, 'a QEMU cpu name like "cortex-m4"');
    if (consoleKind !== 'semihosting') c.fail('console', 'expected "semihosting": a board with a QEMU machine runs the harness over semihosting');
    board.qemu = qcpu === undefined ? { machine } : { machine, cpu: qcpu };
  }
  return board;
}
