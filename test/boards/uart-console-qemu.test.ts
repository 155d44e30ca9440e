/**
 * A UART console: a copy of mps2-an386 whose console is QEMU's UART0 (CMSDK APB UART at
 * 0x40004000). The smoke firmware's printf must arrive in the serial-port file, not on semihosting;
 * bad uart fields are named by their JSON path; stm32f746-disco (USART1) still builds.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { NM } from '../../src/toolchain/tools.ts';

const OBJDUMP = 'arm-none-eabi-objdump';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBoard, loadBoard } from '../../src/boards/board.ts';
import { expectedSmokeValues, parseSmokeLine, smokeTest } from '../../src/boards/smoke.ts';
import { runFirmware } from '../../src/toolchain/qemu.ts';
import { tinygenInProcess } from '../helpers/cli-in-process.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'mps2-an386-uart.json');

/** No semihosting call (BKPT 0xAB) in the image, and nothing of newlib's rdimon. */
async function expectNoSemihosting(elf: string): Promise<void> {
  const code = (await execa(OBJDUMP, ['-d', elf])).stdout;
  expect(code).toMatch(/\bmain>:/);
  expect(code).not.toMatch(/\bbkpt\s+0x00ab\b/);
  const symbols = (await execa(NM, [elf])).stdout;
  expect(symbols).not.toMatch(/initialise_monitor_handles|_swiwrite/);
}

describe('UART console', () => {
  it('the smoke firmware prints through the CMSDK UART under QEMU', async () => {
    const board = loadBoard(FIXTURE);
    expect(board.console).toEqual({ uart: { kind: 'cmsdk', base: 0x40004000, baud: 115200, clockHz: 25_000_000 } });
    const dir = mkdtempSync(path.join(tmpdir(), 'tinygen-uart-'));
    const smoke = await smokeTest(board, { keepDir: dir });
    expect(smoke.failure).toBeUndefined();
    expect(smoke.passed).toBe(true);
    expect(parseSmokeLine(smoke.serial ?? '')).toEqual(expectedSmokeValues(board));
    // Run the same image again: the line is in the serial file and not on semihosting stdout.
    const run = await runFirmware({ board, elfPath: path.join(dir, 'smoke.elf'), args: [], timeoutMs: 20_000, cwd: dir, serialFile: 'again.log' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toContain('tinygen: smoke');
    expect(existsSync(path.join(dir, 'again.log'))).toBe(true);
    expect(readFileSync(path.join(dir, 'again.log'), 'utf8')).toMatch(/^tinygen: smoke sum -?\d+ weighted/);
    // The startup code carries the driver: BAUDDIV = 25 MHz / 115200.
    expect(readFileSync(path.join(dir, 'startup.c'), 'utf8')).toContain('TG_UART_BAUDDIV = 217u;');
  });

  it('names the JSON path of a bad uart kind, base or baud', () => {
    const good = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    const errorsFor = (uart: unknown) => checkBoard({ ...good, console: { uart } }, 'b.json', 'mps2-an386-uart').errors;
    expect(errorsFor({ kind: 'pl011', base: '0x40004000' })).toEqual([
      'b.json: console.uart.kind: expected one of "cmsdk", "stm32-usart", got "pl011"',
    ]);
    expect(errorsFor({ kind: 'cmsdk', base: 'UART0' })[0]).toMatch(/^b\.json: console\.uart\.base: expected an integer/);
    expect(errorsFor({ kind: 'cmsdk', base: '0x40004002' })[0]).toMatch(/^b\.json: console\.uart\.base: expected a multiple of 4/);
    expect(errorsFor({ kind: 'cmsdk' })).toEqual(['b.json: console.uart.base: missing (required)']);
    expect(errorsFor({ kind: 'cmsdk', base: 0x40004000, baud: 2_000_000 })[0]).toMatch(/^b\.json: console\.uart\.baud: expected at most 1562500/);
    expect(errorsFor({ kind: 'cmsdk', base: 0x40004000, bauds: 9600 })[0]).toMatch(/^b\.json: console\.uart\.bauds: unknown field/);
    expect(checkBoard({ ...good, console: "uart" }, "b.json", "mps2-an386-uart").errors[0]).toMatch(/^b\.json: console: expected one of "semihosting", "none", got "uart" \(a UART is an object/);
    expect(checkBoard({ ...good, console: 7 }, "b.json", "mps2-an386-uart").errors[0]).toMatch(/^b\.json: console: expected "semihosting", "none" or/);
    expect(checkBoard({ ...good, console: { uart: { kind: 'cmsdk', base: 0 } } }, 'b.json', 'mps2-an386-uart').errors).toEqual([]);
  });

  it('without semihosting ("semihosting": false): the startup runs main itself, printf and the exit status reach the UART, and no BKPT 0xAB is linked', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tinygen-bare-'));
    const file = path.join(dir, 'mps2-an386-bare.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(FIXTURE, 'utf8')), id: 'mps2-an386-bare', semihosting: false }));
    const board = loadBoard(file);
    expect(board.semihosting).toBe(false);
    const result = await smokeTest(board, { keepDir: path.join(dir, 'build') });
    expect(result.failure).toBeUndefined();
    expect(result.passed).toBe(true);
    expect(result.values).toEqual(expectedSmokeValues(board));
    expect(result.serial).toMatch(/^tinygen: exit 0$/m);
    await expectNoSemihosting(path.join(dir, 'build', 'smoke.elf'));
    // validate cannot feed such a board its records: one line, exit 2.
    const validate = await tinygenInProcess(['validate', path.join('examples', 'demo_cnn.onnx'), '--board', file, '--inputs', '1']);
    expect(validate.exitCode).toBe(2);
    expect(validate.stderr).toMatch(/board mps2-an386-bare is built without semihosting/);
  });

  it('real parts (stm32f746-disco, nrf52840-dk) link without semihosting by default', async () => {
    for (const id of ['stm32f746-disco', 'nrf52840-dk']) {
      const board = loadBoard(id);
      expect(board.semihosting, id).toBe(false);
      const dir = mkdtempSync(path.join(tmpdir(), `tinygen-${id}-`));
      const result = await smokeTest(board, { keepDir: dir });
      expect(result.passed, result.failure).toBe(true);
      await expectNoSemihosting(path.join(dir, 'smoke.elf'));
    }
    // Boards that QEMU runs keep it: the validation harness reads its records over it.
    expect(loadBoard('mps2-an386').semihosting).toBe(true);
  });

  it('boards check of stm32f746-disco (USART1 at 0x40011000) still builds', async () => {
    const board = loadBoard('stm32f746-disco');
    expect(board.console).toEqual({ uart: { kind: 'stm32-usart', base: 0x40011000, baud: 115200, clockHz: 108_000_000 } });
    const r = await tinygenInProcess(['boards', 'check', path.join('boards', 'stm32f746-disco.json')]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('ok: smoke firmware built');
  });
});
