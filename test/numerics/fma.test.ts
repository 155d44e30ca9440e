/**
 * src/numerics/fma.ts against an exact computation (integers in BigInt, one rounding written out
 * here), and its C twin tg_fmaf (firmware/kernels/tg_qlinear_binary.c, the portable path the host
 * build takes) against both, plus glibc's fmaf as a third opinion, on random and halfway cases.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { fmaf } from '../../src/numerics/fma.ts';
import { KERNELS_DIR } from '../../src/toolchain/object-cache.ts';
import { seededRandom } from '../../src/util/random.ts';

const f32 = Math.fround;
const view = new DataView(new ArrayBuffer(4));
const bitsOf = (x: number) => (view.setFloat32(0, x), view.getUint32(0));
const fromBits = (b: number) => (view.setUint32(0, b >>> 0), view.getFloat32(0));

/** x = m * 2^e with integer m, for a finite float32 x. */
function split(x: number): [bigint, number] {
  const bits = bitsOf(x);
  const sign = bits >>> 31 ? -1n : 1n;
  const exponent = (bits >>> 23) & 0xff;
  const fraction = BigInt(bits & 0x7fffff);
  return exponent === 0 ? [sign * fraction, -149] : [sign * (fraction | 0x800000n), exponent - 150];
}

/** a * b + c computed exactly, then rounded once to float32 (half to even, with subnormals). */
function exactFma(a: number, b: number, c: number): number {
  const [ma, ea] = split(a);
  const [mb, eb] = split(b);
  const [mc, ec] = split(c);
  const e = Math.min(ea + eb, ec);
  const sum = ((ma * mb) << BigInt(ea + eb - e)) + (mc << BigInt(ec - e));
  if (sum === 0n) return 0;
  const magnitude = sum < 0n ? -sum : sum;
  const top = magnitude.toString(2).length - 1 + e; // exponent of the leading bit
  const ulp = Math.max(top - 23, -149);
  let q = magnitude;
  if (ulp > e) {
    const shift = BigInt(ulp - e);
    q = magnitude >> shift;
    const rest = magnitude - (q << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
    return (sum < 0n ? -1 : 1) * Number(q) * 2 ** ulp;
  }
  return (sum < 0n ? -1 : 1) * Number(q) * 2 ** e;
}

/** Random float32 triples, and triples whose exact result sits on or next to a float32 halfway point. */
function vectors(count: number, seed: number): [number, number, number][] {
  const rng = seededRandom(seed);
  const out: [number, number, number][] = [];
  const randomFloat = (spread: number) => f32((rng() < 0.5 ? -1 : 1) * (1 + rng()) * 2 ** Math.floor((rng() - 0.5) * spread));
  for (let i = 0; i < count; i++) {
    const kind = i % 4;
    if (kind === 0) out.push([randomFloat(60), randomFloat(60), randomFloat(60)]);
    else if (kind === 1) {
      // (1 + i/4096)(1 + j/4096) has a 2^-24 term: halfway between two float32 values near 1;
      // a tiny c decides the side, or c moves the product around.
      const k = 2 ** Math.floor((rng() - 0.5) * 20);
      const a = f32((1 + Math.floor(rng() * 4096) / 4096) * k);
      const b = f32(1 + Math.floor(rng() * 4096) / 4096);
      const c = rng() < 0.5 ? f32((rng() < 0.5 ? -1 : 1) * 2 ** -(60 + Math.floor(rng() * 60)) * k) : randomFloat(8);
      out.push([a, b, c]);
    } else if (kind === 2) {
      // The shapes tinygen uses: an int8/uint8 value times a ratio, plus a float32 of similar size.
      out.push([Math.floor(rng() * 384) - 128, randomFloat(16), randomFloat(16)]);
    } else {
      // c cancels most of a * b, leaving bits far below a's ulp.
      const a = randomFloat(20);
      const b = randomFloat(20);
      out.push([a, b, f32(-(a * b))]);
    }
  }
  return out;
}

describe('fmaf (float32 fused multiply-add)', () => {
  it('rounds once: equals the exact result on random and halfway cases', () => {
    const cases = vectors(40000, 7);
    let halfway = 0;
    for (const [a, b, c] of cases) {
      const want = exactFma(a, b, c);
      expect(fmaf(a, b, c), `fma(${a}, ${b}, ${c})`).toBe(want);
      if (f32(a * b + c) !== want) halfway++; // where rounding the double sum would be wrong
    }
    expect(halfway).toBeGreaterThan(100);
  });

  it('hand-derived halfway cases', () => {
    // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: halfway between 1 + 2^-11 and 1 + 2^-11 + 2^-23.
    const a = f32(1 + 2 ** -12);
    expect(fmaf(a, a, 0)).toBe(1 + 2 ** -11); // a tie: to even
    expect(fmaf(a, a, 2 ** -80)).toBe(1 + 2 ** -11 + 2 ** -23); // just above: up
    expect(fmaf(a, a, -(2 ** -80))).toBe(1 + 2 ** -11); // just below: down
    expect(f32(a * a + 2 ** -80)).toBe(1 + 2 ** -11); // the double-rounded sum gets it wrong
  });

  describe('the C twin (tg_fmaf, portable path, host gcc with ASan/UBSan)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-fma-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('equals fmaf and glibc fmaf bit for bit', async () => {
      const driver = String.raw`
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tg_qlinear_binary.c"
static float f(uint32_t b) { float x; memcpy(&x, &b, 4); return x; }
static uint32_t u(float x) { uint32_t b; memcpy(&b, &x, 4); return b; }
int main(int argc, char **argv)
{
    FILE *in = argc == 2 ? fopen(argv[1], "r") : NULL;
    uint32_t a, b, c;
    if (in == NULL) return 2;
    while (fscanf(in, "%" SCNu32 " %" SCNu32 " %" SCNu32, &a, &b, &c) == 3) {
        printf("%" PRIu32 " %" PRIu32 "\n", u(tg_fmaf(f(a), f(b), f(c))), u(fmaf(f(a), f(b), f(c))));
    }
    return 0;
}
`;
      writeFileSync(join(dir, 'driver.c'), driver);
      const exe = join(dir, 'driver');
      const flags = ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-Wno-unused-function', '-ffp-contract=off', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'];
      await execa('gcc', [...flags, `-I${KERNELS_DIR}`, join(dir, 'driver.c'), '-lm', '-o', exe]);
      const cases = vectors(20000, 11);
      writeFileSync(join(dir, 'in.txt'), cases.map(([a, b, c]) => `${bitsOf(a)} ${bitsOf(b)} ${bitsOf(c)}`).join('\n'));
      const { stdout } = await execa(exe, [join(dir, 'in.txt')]);
      const lines = stdout.trim().split('\n');
      expect(lines).toHaveLength(cases.length);
      lines.forEach((line, i) => {
        const [ours, glibc] = line.split(' ').map((s) => fromBits(Number(s)));
        const [a, b, c] = cases[i]!;
        expect([ours, glibc], `fma(${a}, ${b}, ${c})`).toEqual([fmaf(a, b, c), fmaf(a, b, c)]);
      });
    });
  });
});
