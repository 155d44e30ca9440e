/**
 * `tinygen boards list | show | check`: every broken fixture under test/fixtures/boards is named,
 * field by field, by `boards check`; the list shows every board; show derives the right flags.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBoardIds } from '../../src/boards/board.ts';
import { tinygen } from '../helpers/cli.ts';
import { tinygenInProcess } from '../helpers/cli-in-process.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'boards');
const shown = (name: string) => path.join('test', 'fixtures', 'boards', `${name}.json`);

/** The boards the project promises (issue 4): every QEMU machine of DESIGN.md, and two real parts. */
const QEMU_BOARDS = ['microbit', 'mps2-an385', 'lm3s6965evb', 'mps2-an386', 'netduinoplus2', 'mps2-an500', 'mps2-an505', 'mps3-an547'];
const BUILD_ONLY_BOARDS = ['stm32f746-disco', 'nrf52840-dk'];

// Each fixture breaks one field; the error names the JSON path and what was expected there.
const BROKEN: [fixture: string, jsonPath: string, expected: string][] = [
  ['not-json', '', 'not valid JSON (line 4)'],
  ['missing-placement', 'placement', 'missing (required)'],
  ['unknown-field', 'placement.stacksize', 'unknown field (did you mean "stackSize"?)'],
  ['negative-length', 'memory[1].length', 'expected an integer from 4 to'],
  ['bad-origin', 'memory[0].origin', 'expected an integer from 0 to'],
  ['misaligned-origin', 'memory[1].origin', 'expected a multiple of 4, got "0x20000002"'],
  ['empty-memory', 'memory', 'expected a non-empty array of regions, got []'],
  ['overlap', 'memory[1]', 'overlaps memory[0] ("FLASH"'],
  ['unknown-cpu', 'cpu', 'expected one of "cortex-m0"'],
  ['fpu-on-m3', 'fpu', 'expected null (cortex-m3 has no FPU), got "fpv4-sp-d16"'],
  ['bad-fpu-name', 'fpu', 'expected one of "fpv4-sp-d16", got "fpv5-d16"'],
  ['dsp-on-m0', 'features.dsp', 'expected false (cortex-m0 has no DSP extension)'],
  ['dsp-not-boolean', 'features.dsp', 'expected true or false, got "yes"'],
  ['features-not-object', 'features', 'expected an object, got "dsp"'],
  ['mve-on-m4', 'features.mve', 'expected false (cortex-m4 has no MVE), got true'],
  ['mve-without-fpu', 'features.mve', 'MVE only with the FPU'],
  ['zero-clock', 'clockHz', 'expected an integer from 1 to'],
  ['bad-region-kind', 'memory[1].kind', 'expected one of "flash", "ram", got "sram"'],
  ['bad-region-name', 'memory[0].name', 'expected a linker identifier like "FLASH" or "RAM", got "code flash"'],
  ['duplicate-region', 'memory[1].name', '"FLASH" is already the name of memory[0]'],
  ['unknown-region', 'placement.data', 'expected one of "FLASH", "RAM", got "SRAM"'],
  ['weights-unknown-region', 'placement.weights', 'expected one of "FLASH", "RAM", got "QSPI"'],
  ['stack-in-flash', 'placement.stack', 'expected a region of kind "ram"'],
  ['arena-in-flash', 'placement.arena', 'expected a region of kind "ram"'],
  ['odd-stack', 'placement.stackSize', 'expected a multiple of 8, got 1001'],
  ['tiny-stack', 'placement.stackSize', 'expected an integer from 256 to'],
  ['stack-too-big-for-region', 'placement.stackSize', '32768 bytes do not fit in region "SRAM2" (16384 bytes)'],
  ['odd-heap', 'placement.heapSize', 'expected a multiple of 8, got 1001'],
  ['heap-too-big', 'placement', 'do not fit in region "RAM"'],
  ['id-mismatch', 'id', 'expected "id-mismatch" (the file name), got "mps2-an999"'],
  ['bad-id', 'id', 'expected a lower-case id'],
  ['empty-description', 'description', 'expected a non-empty string, got ""'],
  ['bad-console', 'console', 'expected one of "semihosting", "none", got "uart0"'],
  ['qemu-without-semihosting', 'console', 'expected "semihosting"'],
  ['bad-qemu-machine', 'qemu.machine', 'expected a QEMU machine name'],
  ['bad-qemu-cpu', 'qemu.cpu', 'expected a QEMU cpu name'],
];

/** The error lines of `boards check` (its stderr without the final count line). */
function errorLines(stderr: string): string[] {
  return stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('tinygen: '));
}

describe('tinygen boards check on broken board files', () => {
  it.each(BROKEN)('%s: names %s', async (name, jsonPath, expected) => {
    const result = await tinygenInProcess(['boards', 'check', path.join(FIXTURES, `${name}.json`)]);
    expect(result.exitCode).toBe(2);
    const lines = errorLines(result.stderr);
    // One broken field, one error line: file, JSON path, what was expected.
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(jsonPath ? `${shown(name)}: ${jsonPath}: ` : `${shown(name)}: `)).toBe(true);
    expect(lines[0]).toContain(expected);
    expect(result.stderr).toContain(`tinygen: ${shown(name)}: 1 error`);
    expect(result.stdout).not.toContain('smoke'); // nothing built for a bad file
  });

  it('reports every error of a file with several, one line each', async () => {
    const result = await tinygenInProcess(['boards', 'check', path.join(FIXTURES, 'many-errors.json')]);
    expect(result.exitCode).toBe(2);
    const lines = errorLines(result.stderr);
    const paths = lines.map((l) => l.slice(`${shown('many-errors')}: `.length).split(': ')[0]);
    expect(paths).toEqual(['cpu', 'clockHz', 'memory[1].kind', 'placement.heapSize', 'qemu.machin']);
    expect(result.stderr).toContain('5 errors');
  });

  it('every fixture of test/fixtures/boards is covered by a test', async () => {
    const { readdirSync } = await import('node:fs');
    const covered = new Set([...BROKEN.map(([n]) => n), 'many-errors', 'good-board', 'no-qemu']);
    const all = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    expect(all.filter((n) => !covered.has(n))).toEqual([]);
  });

  it('a valid file passes with --no-build and exits 0', async () => {
    const result = await tinygenInProcess(['boards', 'check', path.join(FIXTURES, 'good-board.json'), '--no-build']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('valid board "good-board"');
  });

  it('the real executable exits 2 with one line per error', async () => {
    const result = await tinygen(['boards', 'check', path.join(FIXTURES, 'odd-heap.json')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/odd-heap\.json: placement\.heapSize: expected a multiple of 8, got 1001$/);
  });
});

describe('tinygen boards list', () => {
  it('shows every board in boards/, including all eight QEMU boards and two real parts', async () => {
    const result = await tinygenInProcess(['boards', 'list']);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+cpu\s+fpu\s+features\s+flash\s+RAM\s+QEMU machine$/);
    const ids = lines.slice(1).map((l) => l.split(/\s+/)[0]);
    expect(ids).toEqual(listBoardIds());
    for (const id of [...QEMU_BOARDS, ...BUILD_ONLY_BOARDS]) expect(ids).toContain(id);
    expect(lines.find((l) => l.startsWith('microbit '))).toMatch(/cortex-m0\s+-\s+-\s+256 KiB\s+16 KiB\s+microbit$/);
    expect(lines.find((l) => l.startsWith('mps3-an547 '))).toMatch(/cortex-m55\s+fpv5-d16\s+dsp,mve\s+2560 KiB\s+512 KiB\s+mps3-an547$/);
    expect(lines.find((l) => l.startsWith('nrf52840-dk '))).toMatch(/1 MiB\s+256 KiB\s+- \(build only\)$/);
  });

  it('--json gives the same boards as data', async () => {
    const result = await tinygenInProcess(['boards', 'list', '--json']);
    const rows = JSON.parse(result.stdout) as { id: string; qemuMachine: string | null; flashBytes: number; ramBytes: number }[];
    expect(rows.map((r) => r.id)).toEqual(listBoardIds());
    expect(rows.filter((r) => r.qemuMachine !== null).map((r) => r.id).sort()).toEqual([...QEMU_BOARDS].sort());
    // STM32F746NG: 1 MiB flash, 320 KiB SRAM (ST datasheet DS10916).
    expect(rows.find((r) => r.id === 'stm32f746-disco')).toMatchObject({ flashBytes: 1024 * 1024, ramBytes: 320 * 1024 });
  });
});

describe('tinygen boards show', () => {
  it('derives gcc flags and the QEMU command line (Cortex-M55 with MVE)', async () => {
    const result = await tinygenInProcess(['boards', 'show', 'mps3-an547', '--json']);
    expect(result.exitCode).toBe(0);
    const board = JSON.parse(result.stdout);
    expect(board).toMatchObject({ id: 'mps3-an547', cpu: 'cortex-m55', clockHz: 32_000_000, features: { dsp: true, mve: true } });
    expect(board.derived.gccCompileFlags.slice(0, 4)).toEqual(['-mcpu=cortex-m55', '-mthumb', '-mfpu=auto', '-mfloat-abi=hard']);
    expect(board.derived.qemuCommand.join(' ')).toContain('-machine mps3-an547 -cpu cortex-m55');
  });

  it('soft float on the M0, and no QEMU command for a build-only board', async () => {
    const m0 = JSON.parse((await tinygenInProcess(['boards', 'show', 'microbit', '--json'])).stdout);
    expect(m0.derived.gccCompileFlags.slice(0, 3)).toEqual(['-mcpu=cortex-m0', '-mthumb', '-mfloat-abi=soft']);
    const f7 = await tinygenInProcess(['boards', 'show', 'stm32f746-disco']);
    expect(f7.stdout).toContain('-mcpu=cortex-m7 -mthumb -mfpu=fpv5-sp-d16 -mfloat-abi=hard');
    expect(f7.stdout).toMatch(/qemu run:\s+none/);
  });

  it('an unknown board is one line, exit 2', async () => {
    const result = await tinygenInProcess(['boards', 'show', 'no-such-board']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toMatch(/^tinygen: error: unknown board "no-such-board"; known boards: .*microbit/);
  });
});
