import { describe, expect, it } from 'vitest';
import { loadBoard, parseBoard, type Board } from '../../src/boards/board.ts';
import { UserError } from '../../src/errors.ts';
import { compileFlags, cpuFlags, firmwareCmdline, linkFlags, qemuArgv, quoteFirmwareArg } from '../../src/toolchain/flags.ts';
import { renderLinkerScript, renderStartup } from '../../src/toolchain/templates.ts';

const an386 = loadBoard('mps2-an386');

function variant(change: (json: Record<string, any>) => void): Board {
  const { file: _file, ...json } = structuredClone(an386);
  change(json);
  return parseBoard(json, 'variant.json');
}

describe('compiler flags', () => {
  it('target the Cortex-M4F with the hard-float ABI', () => {
    expect(cpuFlags(an386)).toEqual(['-mcpu=cortex-m4', '-mthumb', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard']);
    const flags = compileFlags(an386);
    for (const f of ['-O2', '-ffunction-sections', '-fdata-sections', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off']) {
      expect(flags).toContain(f);
    }
    expect(linkFlags(an386, 'x.ld')).toEqual(expect.arrayContaining(['--specs=rdimon.specs', '-Wl,--gc-sections', '-T', 'x.ld']));
  });

  it('use the soft-float ABI without an FPU, and drop absent extensions', () => {
    expect(cpuFlags(variant((b) => (b.fpu = null)))).toEqual(['-mcpu=cortex-m4+nofp', '-mthumb', '-mfloat-abi=soft']);
    const m33 = variant((b) => {
      b.cpu = 'cortex-m33';
      b.fpu = 'fpv5-sp-d16';
      b.features.dsp = false;
    });
    expect(cpuFlags(m33)[0]).toBe('-mcpu=cortex-m33+nodsp');
  });
});

describe('QEMU command line', () => {
  it('boots the ELF with semihosting and passes argv through arg=', () => {
    const argv = qemuArgv(an386, '/tmp/out/firmware.elf', ['in.bin', 'out.bin']);
    expect(argv.slice(0, 4)).toEqual(['-machine', 'mps2-an386', '-cpu', 'cortex-m4']);
    expect(argv).toContain('-nographic');
    const i = argv.indexOf('-semihosting-config');
    expect(argv[i + 1]).toBe('enable=on,target=native,arg=firmware.elf,arg=in.bin,arg=out.bin');
    expect(argv.slice(argv.indexOf('-kernel'), argv.indexOf('-kernel') + 2)).toEqual(['-kernel', '/tmp/out/firmware.elf']);
    expect(argv).not.toContain('-icount');
    expect(qemuArgv(an386, 'fw.elf', [], { icount: true }).slice(-2)).toEqual(['-icount', 'shift=0']);
  });

  it('quotes arguments the way newlib crt0 splits them, and doubles commas for QEMU', () => {
    expect(quoteFirmwareArg('plain')).toBe('plain');
    expect(quoteFirmwareArg('a b')).toBe('"a b"');
    expect(quoteFirmwareArg('say "hi" now')).toBe(`'say "hi" now'`);
    expect(quoteFirmwareArg('')).toBe('""');
    expect(() => quoteFirmwareArg(`a "b" 'c'`)).toThrow(UserError);
    const argv = qemuArgv(an386, 'fw.elf', ['x,y']);
    expect(argv[argv.indexOf('-semihosting-config') + 1]).toContain('arg=x,,y');
  });

  it('refuses a command line longer than crt0 can take', () => {
    expect(firmwareCmdline('fw.elf', ['a'.repeat(240)])).toHaveLength(247);
    expect(() => firmwareCmdline('fw.elf', ['a'.repeat(250)])).toThrow(/at most 254/);
  });

  it('is a UserError for a board without a QEMU machine', () => {
    const board = loadBoard('test/fixtures/boards/no-qemu.json');
    expect(() => qemuArgv(board, 'fw.elf', [])).toThrow(UserError);
  });
});

describe('templates', () => {
  it('render the linker script from the board regions', () => {
    const ld = renderLinkerScript(an386);
    expect(ld).toContain('FLASH (rx) : ORIGIN = 0x00000000, LENGTH = 0x00400000');
    expect(ld).toContain('RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 0x00400000');
    expect(ld).toContain(`. += 0x${an386.placement.stackSize.toString(16).toUpperCase().padStart(8, '0')};`);
    expect(renderLinkerScript(an386)).toBe(ld);
  });

  it('render startup code that enables the FPU only when there is one', () => {
    expect(renderStartup(an386)).toContain('TG_CPACR |= 0xFu << 20;');
    expect(renderStartup(variant((b) => (b.fpu = null)))).not.toContain('TG_CPACR |=');
    const m0 = variant((b) => {
      b.cpu = 'cortex-m0';
      b.fpu = null;
      b.features.dsp = false;
    });
    const startup = renderStartup(m0);
    expect(startup).not.toContain('TG_SHCSR |=');
    expect(startup).not.toContain('msplim');
  });
});
