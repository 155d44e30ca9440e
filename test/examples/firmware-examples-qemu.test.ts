/**
 * The worked examples, built as a user builds them: examples/firmware-make with make and
 * examples/firmware-cmake with CMake (through cmake/tinygen.cmake), each with the user's own
 * startup code and a linker script that never mentions tinygen (examples/app). Two models (TFLite
 * and ONNX) share one arena that the application owns (--arena external). Under QEMU both print
 * their output bytes, which must be the reference's for the same test pattern; and the arena must
 * be zero-initialised RAM (.bss) that adds no byte to the flash image.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModel, generate } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { recordBytes, recordToValues, valuesToRecord } from '../../src/validate/records.ts';
import { QEMU } from '../../src/toolchain/tools.ts';
import { elfLayout, loadedSections } from '../helpers/elf.ts';
import { PACKAGE_ROOT } from '../../src/version.ts';

const EXAMPLES = join(PACKAGE_ROOT, 'examples');
const TINYGEN = ['node', join(PACKAGE_ROOT, 'bin', 'tinygen.js')];

/** What the firmware should print: each model's output bytes for input byte i = (i * 37 + 11) mod 256. */
function expectedLines(): string[] {
  return (['demo_kws.tflite', 'demo_cnn.onnx'] as const).map((file) => {
    const compiled = compileModel({ modelPath: join(EXAMPLES, file) });
    const bytes = recordBytes(generate(compiled).inputs);
    const record = Uint8Array.from({ length: bytes }, (_, i) => (i * 37 + 11) & 255);
    const outputs = runReference(compiled.graph, recordToValues(compiled.graph, compiled.graph.inputs, record)).outputs;
    return `${compiled.name}: ${Buffer.from(valuesToRecord(outputs)).toString('hex')}`;
  });
}

async function runUnderQemu(elf: string): Promise<string[]> {
  const run = await execa(QEMU, ['-M', 'mps2-an386', '-nographic', '-monitor', 'none', '-serial', 'null', '-semihosting', '-kernel', elf], { timeout: 30_000, reject: false, all: true });
  // QEMU's semihosting console writes to its stderr.
  expect(run.exitCode, run.all).toBe(0);
  return run.all.split('\n').filter((line) => line.trim() !== '');
}

/**
 * The image as the user's linker script lays it out: only its own sections, the application's
 * arena inside .bss (nothing in .data, so no arena byte is loaded from flash), and every weight
 * array of the generated models in flash.
 */
async function expectSections(elf: string, generated: string): Promise<void> {
  const layout = await elfLayout(elf);
  const { sections, symbols, within } = layout;
  expect(loadedSections(layout)).toEqual(['.isr_vector', '.text', '.data', '.bss']);
  expect(sections.get('.data')!.size).toBe(0);
  expect(symbols.get('arena')!.size).toBeGreaterThan(500);
  expect(within('arena', '.bss')).toBe(true);
  const weights = ['demo_kws.c', 'demo_cnn.c'].flatMap((file) => [...readFileSync(join(generated, file), 'utf8').matchAll(/static const \w+ (\w+)\[\d+\] TG_WEIGHTS_SECTION/g)].map((m) => m[1]!));
  expect(weights.length).toBeGreaterThan(5);
  for (const name of weights) expect(within(name, '.text'), name).toBe(true);
}

describe.concurrent('the firmware examples', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-examples-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('examples/firmware-make builds with make and runs bit-exact under QEMU', async () => {
    const build = join(dir, 'make');
    await execa('make', ['-C', join(EXAMPLES, 'firmware-make'), `BUILD=${build}`, `TINYGEN=${TINYGEN.join(' ')}`]);
    const elf = join(build, 'firmware.elf');
    await expectSections(elf, join(build, 'generated'));
    expect(await runUnderQemu(elf)).toEqual(expectedLines());
  });

  it('examples/firmware-cmake builds with CMake and cmake/tinygen.cmake and runs bit-exact under QEMU', async () => {
    const build = join(dir, 'cmake');
    const source = join(EXAMPLES, 'firmware-cmake');
    await execa('cmake', ['-S', source, '-B', build, `-DCMAKE_TOOLCHAIN_FILE=${join(source, 'arm-none-eabi.cmake')}`, `-DTINYGEN=${TINYGEN.join(';')}`]);
    await execa('cmake', ['--build', build]);
    const elf = join(build, 'firmware.elf');
    await expectSections(elf, join(build, 'generated'));
    expect(await runUnderQemu(elf)).toEqual(expectedLines());
  });
});
