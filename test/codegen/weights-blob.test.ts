/**
 * --weights blob: the constants leave the C for a blob with a checked header, bound at run time.
 * The header's fields are derived here by hand (a bitwise CRC-32 written in this test, SHA-256 of
 * the payload), two trainings of one architecture give the same code and architecture hash, and a
 * program built with ASan/UBSan swaps their blobs bit-exact and refuses damaged and foreign ones
 * (test/helpers/weights-swap.ts; the same program runs under QEMU in weights-blob-qemu.test.ts).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { WEIGHTS_RESULTS } from '../../src/codegen/weights-blob.ts';
import { HOST_CFLAGS } from '../../src/toolchain/host.ts';
import { KERNELS_DIR, kernelSources, objectLibrary } from '../../src/toolchain/object-cache.ts';
import { writeSwapProgram } from '../helpers/weights-swap.ts';

const SANITIZE = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all'];

/** CRC-32 (IEEE), bit by bit, as the standard defines it: the check value of "123456789" is 0xCBF43926. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('weights blob', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-weights-blob-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const program = writeSwapProgram(dir);

  it('has the header the format says: magic, version, architecture, payload SHA-256, length, CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const blob = program.blobs.a;
    const view = new DataView(blob.buffer, blob.byteOffset, blob.length);
    const payload = blob.subarray(80);
    expect(new TextDecoder().decode(blob.subarray(0, 4))).toBe('TGWB');
    expect(view.getUint32(4, true)).toBe(1);
    expect(Buffer.from(blob.subarray(40, 72)).toString('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
    expect(view.getUint32(72, true)).toBe(payload.length);
    expect(view.getUint32(76, true)).toBe(crc32(Uint8Array.from([...blob.subarray(0, 76), ...payload])));
    // The architecture in the header is the one compiled into the code.
    const compiledIn = /net_architecture\[32\] = \{([^}]*)\}/.exec(program.code.a)![1]!.split(',').map((v) => v.trim()).filter(Boolean).map(Number);
    expect(compiledIn).toEqual([...blob.subarray(8, 40)]);
  });

  it('gives two trainings of one architecture the same code and architecture, and other weights', () => {
    const unstamped = (code: string) => code.replace(/^ \* (Model|SHA-256): .*$/gm, '');
    expect(unstamped(program.code.b)).toBe(unstamped(program.code.a));
    expect(program.blobs.b.subarray(8, 40)).toEqual(program.blobs.a.subarray(8, 40));
    expect(program.blobs.b.subarray(80)).not.toEqual(program.blobs.a.subarray(80));
    expect(program.blobs.other.subarray(8, 40)).not.toEqual(program.blobs.a.subarray(8, 40));
    // No weight is left in the C: the payload is all of it.
    expect(program.code.a).not.toMatch(/TG_WEIGHTS_SECTION = \{/);
  });

  it('numbers its results as the kernel library does', () => {
    const header = readFileSync(join(KERNELS_DIR, 'tinygen_kernels.h'), 'utf8');
    for (const { name, value } of WEIGHTS_RESULTS) {
      expect(header, name).toMatch(new RegExp(`#define TG_WEIGHTS_${name} \\(?${value}\\)?\\n`));
    }
  });

  it('swaps blobs bit-exact and refuses damaged and foreign ones, keeping the one bound (host, ASan/UBSan)', async () => {
    const flags = [...HOST_CFLAGS, ...SANITIZE];
    const objects = await Promise.all([...program.sources, ...kernelSources()].map((source) => objectLibrary({ compiler: 'gcc', flags, sources: [source], includeDirs: [dir, KERNELS_DIR] })));
    const exe = join(dir, 'swap');
    await execa('gcc', [...flags, ...objects.flatMap((o) => o.objects), '-lm', '-o', exe]);
    const run = await execa(exe, [], { reject: false });
    expect(run.stdout + run.stderr).toContain('weights swap: ok');
    expect(run.exitCode).toBe(0);
  });
});
