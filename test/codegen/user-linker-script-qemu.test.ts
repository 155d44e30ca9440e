/**
 * The generated C in a user's own firmware: a vendor-style linker script that never mentions
 * tinygen, the user's own startup code, no C library start-up files (those of examples/app; the
 * examples' own test runs them under QEMU with an external arena, this one links a static arena). The weights must land in
 * flash as read-only data and the arena in zero-initialised RAM (.bss), so the arena adds no byte
 * to the flash image (it did when the arena had a section of its own that such a script placed
 * after .data, with a load image in flash).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../src/pipeline.ts';
import { compileFlags } from '../../src/toolchain/flags.ts';
import { loadBoard } from '../../src/boards/board.ts';
import { GCC } from '../../src/toolchain/tools.ts';
import { elfLayout, loadedSections } from '../helpers/elf.ts';
import { kernelLibrary } from '../../src/toolchain/object-cache.ts';
import { PACKAGE_ROOT } from '../../src/version.ts';
import { MODELS } from '../helpers/paths.ts';
import { tinygen } from '../helpers/cli.ts';

/** The user's startup code and linker script of the firmware examples. */
const APP = join(PACKAGE_ROOT, 'examples', 'app');

describe('a model in firmware with a linker script that does not know tinygen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-user-ld-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the arena in .bss and the weights in flash: the flash image holds no arena byte', async () => {
    const model = join(MODELS, 'tiny_cnn_qop.onnx');
    const compile = await tinygen(['compile', model, '-o', dir, '--name', 'tiny', '--io', 'arena']);
    expect(compile.exitCode, compile.stderr).toBe(0);
    const source = readFileSync(join(dir, 'tiny.c'), 'utf8');
    const arenaBytes = compileModel({ modelPath: model, io: 'arena' }).plan.arenaBytes;
    expect(arenaBytes).toBeGreaterThan(1000);
    const board = loadBoard('mps2-an386');
    // The kernels as every firmware build links them (the same sources, cached per CPU and flags).
    const kernels = (await kernelLibrary(GCC, compileFlags(board))).objects;
    const elf = join(dir, 'user.elf');
    const main = join(dir, 'main.c');
    writeFileSync(main, '#include "tiny.h"\nint main(void) { return tiny_run(); }\n');
    await execa(GCC, [
      ...compileFlags(board),
      '-nostartfiles',
      '--specs=nosys.specs',
      `-T${join(APP, 'mps2-an386.ld')}`,
      `-I${APP}`,
      `-I${dir}`,
      `-I${join(dir, 'tinygen')}`,
      main,
      join(APP, 'startup.c'),
      join(dir, 'tiny.c'),
      ...kernels,
      '-lm',
      '-o',
      elf,
    ]);
    const { sections, symbols, within } = await elfLayout(elf);
    // Only the vendor script's sections: nothing orphaned, and the arena inside .bss.
    expect(loadedSections({ sections, symbols, within })).toEqual(['.isr_vector', '.text', '.data', '.bss']);
    expect(sections.get('.data')!.size).toBeLessThan(arenaBytes);
    expect(symbols.get('tiny_arena')!.size).toBe(arenaBytes);
    expect(within('tiny_arena', '.bss')).toBe(true);
    // Every weight array of the model is read-only data in flash.
    const weights = [...source.matchAll(/static const \w+ (\w+)\[\d+\] TG_WEIGHTS_SECTION/g)].map((m) => m[1]!);
    expect(weights.length).toBeGreaterThan(0);
    for (const name of weights) expect(within(name, '.text'), name).toBe(true);
  });
});
