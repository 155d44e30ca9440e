// End to end: build the harness with a fake model for mps2-an386 and run it under QEMU.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBoard, type Board } from '../../src/boards/board.ts';
import { UserError } from '../../src/errors.ts';
import { buildFirmware, type BuildResult } from '../../src/toolchain/build.ts';
import { HARNESS_DIR } from '../../src/toolchain/object-cache.ts';
import { parseHarnessStdout } from '../../src/toolchain/harness.ts';
import { runFirmware } from '../../src/toolchain/qemu.ts';
import { HANDLER_STACK_BYTES } from '../../src/toolchain/templates.ts';

const FAKE_MODEL_DIR = path.join(import.meta.dirname, '..', 'fixtures', 'harness');
const board = loadBoard('mps2-an386');
const RECORD = 16;

let tmp: string;
const builds: Record<'add' | 'loop' | 'udf' | 'busfault' | 'recurse', Promise<BuildResult>> = {} as never;

function build(mode: number, name: string): Promise<BuildResult> {
  return buildFirmware({
    board,
    sources: [path.join(FAKE_MODEL_DIR, 'harness_model.c')],
    withHarness: true,
    includeDirs: [HARNESS_DIR],
    defines: { FAKE_MODE: String(mode) },
    outDir: path.join(tmp, name),
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinygen-firmware-'));
  // Build all the firmwares at once; each test awaits the one it needs.
  builds.add = build(0, 'add');
  builds.loop = build(1, 'loop');
  builds.udf = build(2, 'udf');
  builds.busfault = build(3, 'busfault');
  builds.recurse = build(4, 'recurse');
  await Promise.allSettled(Object.values(builds));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Writes `records` to <dir>/<input>, runs the firmware there, returns the result and the output bytes. */
async function runRecords(elf: BuildResult, input: Buffer, args: string[], options: { icount?: boolean } = {}) {
  const dir = await mkdtemp(path.join(tmp, 'run-'));
  await writeFile(path.join(dir, args[0] ?? 'in.bin'), input);
  const result = await runFirmware({ board, elfPath: elf.elfPath, args, timeoutMs: 20_000, cwd: dir, ...options });
  const output = await readFile(path.join(dir, args[1] ?? 'out.bin')).catch(() => undefined);
  return { result, output };
}

function records(n: number): Buffer {
  return Buffer.from(Array.from({ length: n * RECORD }, (_, i) => (i * 7 + 3) & 0xff));
}

describe.concurrent('firmware on mps2-an386 under QEMU', () => {
  it('builds, with sizes from arm-none-eabi-size', async () => {
    const elf = await builds.add;
    expect(elf.sizes.text).toBeGreaterThan(1000);
    expect(elf.sizes.bss).toBeGreaterThanOrEqual(board.placement.stackSize + board.placement.heapSize);
    const stack = elf.sections.find((s) => s.name === '.stack');
    // The program's stack, then the exception handlers' own stack.
    expect(stack).toEqual({ name: '.stack', size: board.placement.stackSize + HANDLER_STACK_BYTES, address: 0x20000000 });
    // The vector table starts flash: the core reads its stack pointer and reset handler there.
    expect(elf.sections.find((s) => s.name === '.vectors')?.address).toBe(0);
  });

  it('runs every record through harness_run and writes every output', async () => {
    const input = records(3);
    const { result, output } = await runRecords(await builds.add, input, ['in.bin', 'out.bin']);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, signal: null });
    expect(output).toEqual(Buffer.from(input.map((b) => (b + 1) & 0xff)));
    const report = parseHarnessStdout(result.stdout);
    expect(report.ticks).toHaveLength(3);
    expect(report.done).toBe(3);
  });

  it('passes file names with spaces and commas, and counts ticks deterministically under -icount', async () => {
    const input = records(2);
    const args = ['in put.bin', 'out,put.bin'];
    const first = await runRecords(await builds.add, input, args, { icount: true });
    const second = await runRecords(await builds.add, input, args, { icount: true });
    expect(first.result.exitCode).toBe(0);
    expect(first.output).toEqual(Buffer.from(input.map((b) => (b + 1) & 0xff)));
    const { ticks } = parseHarnessStdout(first.result.stdout);
    expect(ticks).toHaveLength(2);
    // 16 bytes + 1 take on the order of 100 instructions: a few 40-instruction ticks.
    for (const t of ticks) {
      expect(t).toBeGreaterThan(0);
      expect(t).toBeLessThan(50);
    }
    expect(second.result.stdout).toBe(first.result.stdout);
  });

  it('exits with a distinct status for each harness error', async () => {
    const elf = await builds.add;
    const usage = await runRecords(elf, records(1), []);
    expect(usage.result.exitCode).toBe(2);
    expect(usage.result.stderr).toContain('tinygen: usage:');

    const dir = await mkdtemp(path.join(tmp, 'run-'));
    const noInput = await runFirmware({ board, elfPath: elf.elfPath, args: ['missing.bin', 'out.bin'], timeoutMs: 20_000, cwd: dir });
    expect(noInput.exitCode).toBe(3);
    expect(noInput.stderr).toContain('cannot open input file missing.bin');

    const noOutput = await runRecords(elf, records(1), ['in.bin', 'no/such/dir/out.bin']);
    expect(noOutput.result.exitCode).toBe(4);

    const short = await runRecords(elf, records(2).subarray(0, RECORD + 5), ['in.bin', 'out.bin']);
    expect(short.result.exitCode).toBe(5);
    expect(short.result.stderr).toContain('ends inside record 1 (5 of 16 bytes)');

    const failing = records(2);
    failing[RECORD] = 0xee; // the fake model fails on a record starting with 0xEE
    const failed = await runRecords(elf, failing, ['in.bin', 'out.bin']);
    expect(failed.result.exitCode).toBe(6);
    expect(parseHarnessStdout(failed.result.stdout)).toMatchObject({ ticks: [expect.any(Number)], done: undefined });
  });

  it('kills a firmware that never returns at the timeout', async () => {
    const dir = await mkdtemp(path.join(tmp, 'run-'));
    await writeFile(path.join(dir, 'in.bin'), records(1));
    const started = Date.now();
    const result = await runFirmware({ board, elfPath: (await builds.loop).elfPath, args: ['in.bin', 'out.bin'], timeoutMs: 700, cwd: dir });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('turns a fault into a non-zero exit status naming the exception', async () => {
    const udf = await runRecords(await builds.udf, records(1), ['in.bin', 'out.bin']);
    expect(udf.result.exitCode).toBe(106);
    expect(udf.result.stderr).toMatch(/^tinygen: fault: UsageFault \(exception 6\) pc 0x[0-9a-f]{8} /m);
    const bus = await runRecords(await builds.busfault, records(1), ['in.bin', 'out.bin']);
    expect(bus.result.exitCode).toBe(105);
    expect(bus.result.stderr).toContain('tinygen: fault: BusFault (exception 5)');
  });

  it('turns a stack overflow into a MemManage fault (MPU guard below the stack)', async () => {
    const { result } = await runRecords(await builds.recurse, records(1), ['in.bin', 'out.bin']);
    expect(result).toMatchObject({ exitCode: 104, timedOut: false });
    expect(result.stderr).toContain('tinygen: fault: MemManage (exception 4)');
  });

  it('reports a compiler error with gcc\'s message', async () => {
    const dir = await mkdtemp(path.join(tmp, 'bad-'));
    const source = path.join(dir, 'bad.c');
    await writeFile(source, 'int harness_run(void) { int unused; return 0; }\n');
    await expect(buildFirmware({ board, sources: [source], includeDirs: [], outDir: dir })).rejects.toThrow(/unused variable 'unused'/);
  });

  it('refuses to run a board without a QEMU machine', async () => {
    const { qemu: _qemu, ...buildOnly } = board;
    const noQemu: Board = buildOnly;
    await expect(runFirmware({ board: noQemu, elfPath: 'x.elf', args: [], timeoutMs: 1000 })).rejects.toThrow(UserError);
  });
});
