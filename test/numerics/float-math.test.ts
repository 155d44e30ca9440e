/**
 * src/numerics/float-math.ts against its C twin firmware/kernels/tg_float_math.h, bit for bit, on
 * millions of inputs (a C driver built with the host gcc under ASan/UBSan reads float32 bit
 * patterns and writes the bits of expf, tanhf and sigmoidf of each); and both against Math.exp and
 * Math.tanh in double precision for accuracy.
 *
 * Inputs: an even sweep over all 2^32 bit patterns (every kind of float: zeros, subnormals,
 * infinities, NaNs), uniform draws over the ranges where the results are not constant, dense
 * steps across each branch threshold and across the range-reduction ties (x * log2(e) near
 * k + 1/2), and the special values.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bitsOfFloat, expf, floatFromBits, ldexpf, sigmoidf, tanhf } from '../../src/numerics/float-math.ts';
import { DRIVER, inputs } from './float-math-cases.ts';

const KERNELS = fileURLToPath(new URL('../../firmware/kernels/', import.meta.url));
const CFLAGS = ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'];
const f32 = Math.fround;

const REFERENCE: [string, (x: number) => number, (x: number) => number][] = [
  ['expf', expf, Math.exp],
  ['tanhf', tanhf, Math.tanh],
  ['sigmoidf', sigmoidf, (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))],
];

describe('float-math: TypeScript vs C (tg_float_math.h), and accuracy', () => {
  let dir: string;
  let xs: Uint32Array;
  let c: Uint32Array;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tinygen-float-math-'));
    writeFileSync(join(dir, 'driver.c'), DRIVER);
    await execa('gcc', [...CFLAGS, '-I', KERNELS, '-o', join(dir, 'driver'), join(dir, 'driver.c')]);
    xs = inputs();
    writeFileSync(join(dir, 'in.bin'), new Uint8Array(xs.buffer));
    await execa(join(dir, 'driver'), [join(dir, 'in.bin'), join(dir, 'out.bin')]);
    const bytes = readFileSync(join(dir, 'out.bin'));
    c = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has millions of inputs', () => {
    expect(xs.length).toBeGreaterThan(2_500_000);
    expect(c.length).toBe(3 * xs.length);
  });

  REFERENCE.forEach(([name, fn], f) => {
    it(`${name}: the same bits in both languages on every input`, () => {
      let mismatches = 0;
      let first = '';
      for (let i = 0; i < xs.length; i++) {
        const x = floatFromBits(xs[i]!);
        const ts = fn(x);
        const cv = floatFromBits(c[3 * i + f]!);
        const same = Number.isNaN(ts) ? Number.isNaN(cv) : bitsOfFloat(ts) === c[3 * i + f];
        if (!same) {
          mismatches++;
          first ||= `x = ${x} (0x${xs[i]!.toString(16)}): TypeScript ${ts}, C ${cv}`;
        }
      }
      expect(first).toBe('');
      expect(mismatches).toBe(0);
    });
  });

  REFERENCE.forEach(([name, fn, exact]) => {
    it(`${name}: relative error below 3e-7 for normal results, below one subnormal step for subnormal ones`, () => {
      let worst = 0;
      let worstAt = 0;
      let bad = '';
      const NORMAL = 2 ** -126;
      const MAX = 3.4028234663852886e38;
      for (let i = 0; i < xs.length && !bad; i++) {
        const x = floatFromBits(xs[i]!);
        const got = fn(x);
        if (Number.isNaN(x)) {
          if (!Number.isNaN(got)) bad = `NaN gave ${got}`;
          continue;
        }
        const want = exact(x);
        if (Math.abs(want) > MAX) {
          // Beyond float32's range (exp above 88.72): infinite, or FLT_MAX at the edge.
          if (got !== Infinity && got !== MAX) bad = `x = ${x}: ${got}, expected infinity`;
          continue;
        }
        if (Math.abs(want) < NORMAL) {
          if (Math.abs(got - want) > 2 ** -149) bad = `x = ${x}: ${got}, expected ${want}`;
          continue;
        }
        const rel = Math.abs(got - want) / Math.abs(want);
        if (rel > worst) [worst, worstAt] = [rel, x];
      }
      expect(bad).toBe('');
      console.log(`${name}: worst relative error ${worst.toExponential(3)} at x = ${worstAt}`);
      expect(worst, `worst at x = ${worstAt}`).toBeLessThan(3e-7);
    });
  });

  it('keeps the signs and limits: exp(-inf) = 0, exp(inf) = inf, tanh(+-0) = +-0, tanh(+-inf) = +-1, sigmoid(+-inf) = 1, 0', () => {
    expect(expf(-Infinity)).toBe(0);
    expect(expf(Infinity)).toBe(Infinity);
    expect(expf(0)).toBe(1);
    expect(Object.is(tanhf(-0), -0)).toBe(true);
    expect(Object.is(tanhf(0), 0)).toBe(true);
    expect(tanhf(Infinity)).toBe(1);
    expect(tanhf(-Infinity)).toBe(-1);
    expect(sigmoidf(Infinity)).toBe(1);
    expect(sigmoidf(-Infinity)).toBe(0);
    expect(sigmoidf(0)).toBe(0.5);
  });

  it('ldexpf is exact for normal results and rounds once into the subnormals', () => {
    expect(ldexpf(1.5, 127)).toBe(1.5 * 2 ** 127);
    expect(ldexpf(1.5, 128)).toBe(Infinity);
    expect(ldexpf(1, -149)).toBe(2 ** -149);
    // 1.5 * 2^-149 lies halfway between one and two subnormal steps; ties to even gives two.
    expect(ldexpf(1.5, -149)).toBe(2 * 2 ** -149);
    expect(ldexpf(f32(1 + 2 ** -23), -140)).toBe(2 ** -140);
  });
});
