/**
 * firmware/kernels/tg_float_math.h on the boards, under QEMU: the same driver as the host test,
 * cross-built for mps2-an386 (Cortex-M4F, hardware single precision) and mps2-an385 (Cortex-M3,
 * libgcc's software float), must give the bits src/numerics/float-math.ts gives, on a sample of
 * the host test's inputs (every kind of float, every branch threshold).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/boards/board.ts';
import { buildFirmware } from '../../src/toolchain/build.ts';
import { runFirmware } from '../../src/toolchain/qemu.ts';
import { bitsOfFloat, expf, floatFromBits, sigmoidf, tanhf } from '../../src/numerics/float-math.ts';
import { DRIVER, inputs } from './float-math-cases.ts';

const KERNELS = fileURLToPath(new URL('../../firmware/kernels/', import.meta.url));
const FUNCTIONS = [expf, tanhf, sigmoidf];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinygen-float-math-qemu-'));
  await writeFile(path.join(tmp, 'driver.c'), DRIVER);
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe.concurrent('float-math on the boards (QEMU)', () => {
  for (const id of ['mps2-an386', 'mps2-an385']) {
    it(`${id}: the same bits as the TypeScript`, async () => {
      const board = loadBoard(id);
      const dir = path.join(tmp, id);
      const elf = await buildFirmware({ board, sources: [path.join(tmp, 'driver.c')], includeDirs: [KERNELS], outDir: dir });
      const xs = inputs(0.1);
      await writeFile(path.join(dir, 'in.bin'), new Uint8Array(xs.buffer));
      const run = await runFirmware({ board, elfPath: elf.elfPath, args: ['in.bin', 'out.bin'], timeoutMs: 60_000, cwd: dir });
      expect(run.exitCode, run.stderr).toBe(0);
      const bytes = await readFile(path.join(dir, 'out.bin'));
      const c = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      expect(c.length).toBe(3 * xs.length);
      let mismatches = 0;
      let first = '';
      for (let i = 0; i < xs.length; i++) {
        const x = floatFromBits(xs[i]!);
        FUNCTIONS.forEach((fn, f) => {
          const ts = fn(x);
          const same = Number.isNaN(ts) ? Number.isNaN(floatFromBits(c[3 * i + f]!)) : bitsOfFloat(ts) === c[3 * i + f];
          if (!same) {
            mismatches++;
            first ||= `${fn.name}(${x}): TypeScript ${ts}, board ${floatFromBits(c[3 * i + f]!)}`;
          }
        });
      }
      expect(first).toBe('');
      expect(mismatches).toBe(0);
      expect(xs.length).toBeGreaterThan(250_000);
    }, 120_000);
  }
});
