/**
 * Differential test of firmware/kernels/tg_requant.h (the C twin) against src/numerics/requantize.ts.
 *
 * A small C driver, generated into a temp dir, #includes the header, reads one vector per line and
 * prints what the C computes; it is built with the host gcc under ASan/UBSan (any undefined
 * behaviour aborts the run). Float32 multipliers travel as their uint32 bit pattern, so C sees
 * exactly the float the TypeScript used.
 *
 * Line formats (all decimal integers):
 *   o acc scale_bits zp lo hi          onnx requantization      -> direct per_tensor per_channel
 *   t acc multiplier shift zp lo hi    tflite requantization    -> direct per_tensor per_channel
 *   m a b                              saturating rounding doubling high multiply -> result
 *   d x exponent                       rounding divide by 2^exponent              -> result
 *   r float_bits                       round half to even (|x| < 2^22)            -> result
 * "direct" calls tg_requant_onnx/tg_requant_tflite; the next two go through tg_requantize with a
 * per-tensor struct (channel 7 must fall back to index 0) and a two-channel struct whose channel 0
 * is a decoy (a zero multiplier) and channel 1 holds the vector's constants. A fourth number is
 * the specialised kernels' tg_requant_channel (shift split into left and right, clamp below the
 * zero point), channel 1 of a two-channel struct with a decoy, and a fifth the same through a
 * one-entry struct (channel_mask 0) asked for channel 7; it takes what the compiler makes (an
 * int8 range, a multiplier >= 0), so for other vectors the driver repeats the direct result. A
 * sixth is tg_requant_channel's one-sum form (the rounding offsets given), for shifts <= -2 only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { INT32_MAX, INT32_MIN, makeRequant, quantizeMultiplier, requantizeOnnx, requantizeTflite, roundHalfEven, roundingDivideByPowerOfTwo, saturatingRoundingDoublingHighMul } from '../../src/numerics/requantize.ts';

const KERNELS = fileURLToPath(new URL('../../firmware/kernels/', import.meta.url));
const CFLAGS = ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'];
const f32 = Math.fround;
const P24 = 2 ** 24;
const P30 = 2 ** 30;

const DRIVER = String.raw`
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "tg_requant.h"

static float float_of_bits(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (in == NULL) {
        return 2;
    }
    char op;
    while (fscanf(in, " %c", &op) == 1) {
        if (op == 'o') {
            int32_t acc, zp, lo, hi;
            uint32_t bits;
            if (fscanf(in, "%" SCNd32 " %" SCNu32 " %" SCNd32 " %" SCNd32 " %" SCNd32, &acc, &bits, &zp, &lo, &hi) != 5) {
                return 3;
            }
            const float scale = float_of_bits(bits);
            const float channels[2] = { 0.0f, scale };
            const tg_requant_t per_tensor = { TG_ROUND_ONNX, 0, &scale, NULL, NULL, zp, lo, hi };
            const tg_requant_t per_channel = { TG_ROUND_ONNX, 1, channels, NULL, NULL, zp, lo, hi };
            const tg_channel_requant_t channel = { -1, NULL, NULL, NULL, channels, zp, lo - zp, hi - zp, NULL };
            const tg_channel_requant_t single = { 0, NULL, NULL, NULL, &scale, zp, lo - zp, hi - zp, NULL };
            const int32_t direct = tg_requant_onnx(acc, scale, zp, lo, hi);
            const int32_t int8_range = lo >= -128 && hi <= 127;
            const int32_t specialised = int8_range ? tg_requant_channel(&channel, 1, acc, TG_ROUND_ONNX) : direct;
            const int32_t one_entry = int8_range ? tg_requant_channel(&single, 7, acc, TG_ROUND_ONNX) : direct;
            printf("%" PRId32 " %" PRId32 " %" PRId32 " %" PRId32 " %" PRId32 " %" PRId32 "\n", direct, tg_requantize(&per_tensor, 7, acc), tg_requantize(&per_channel, 1, acc), specialised, one_entry, direct);
        } else if (op == 't') {
            int32_t acc, multiplier, shift, zp, lo, hi;
            if (fscanf(in, "%" SCNd32 " %" SCNd32 " %" SCNd32 " %" SCNd32 " %" SCNd32 " %" SCNd32, &acc, &multiplier, &shift, &zp, &lo, &hi) != 6) {
                return 3;
            }
            const int32_t multipliers[2] = { 0, multiplier };
            const int32_t shifts[2] = { 0, shift };
            const tg_requant_t per_tensor = { TG_ROUND_TFLITE, 0, NULL, &multiplier, &shift, zp, lo, hi };
            const tg_requant_t per_channel = { TG_ROUND_TFLITE, 1, NULL, multipliers, shifts, zp, lo, hi };
            const int8_t lefts[2] = { 0, (int8_t)(shift > 0 ? shift : 0) };
            const int8_t rights[2] = { 0, (int8_t)(shift > 0 ? 0 : -shift) };
            const tg_channel_requant_t channel = { -1, multipliers, lefts, rights, NULL, zp, lo - zp, hi - zp, NULL };
            const tg_channel_requant_t single = { 0, &multipliers[1], &lefts[1], &rights[1], NULL, zp, lo - zp, hi - zp, NULL };
            /* The one-sum form, for a right shift of 2 or more only: high words 2^(right - 2). */
            const int32_t highs[2] = { 0, shift <= -2 ? (int32_t)(INT64_C(1) << (-shift - 2)) : 0 };
            const tg_channel_requant_t one_sum = { -1, multipliers, lefts, rights, NULL, zp, lo - zp, hi - zp, highs };
            const int32_t direct = tg_requant_tflite(acc, multiplier, shift, zp, lo, hi);
            const int32_t takes = lo >= -128 && hi <= 127 && multiplier >= 0;
            const int32_t specialised = takes ? tg_requant_channel(&channel, 1, acc, TG_ROUND_TFLITE) : direct;
            const int32_t one_entry = takes ? tg_requant_channel(&single, 7, acc, TG_ROUND_TFLITE) : direct;
            const int32_t right_only = takes && shift <= -2 ? tg_requant_channel(&one_sum, 1, acc, TG_ROUND_TFLITE) : direct;
            printf("%" PRId32 " %" PRId32 " %" PRId32 " %" PRId32 " %" PRId32 " %" PRId32 "\n", direct, tg_requantize(&per_tensor, 7, acc), tg_requantize(&per_channel, 1, acc), specialised, one_entry, right_only);
        } else if (op == 'm') {
            int32_t a, b;
            if (fscanf(in, "%" SCNd32 " %" SCNd32, &a, &b) != 2) {
                return 3;
            }
            printf("%" PRId32 "\n", tg_saturating_rounding_doubling_high_mul(a, b));
        } else if (op == 'd') {
            int32_t x, exponent;
            if (fscanf(in, "%" SCNd32 " %" SCNd32, &x, &exponent) != 2) {
                return 3;
            }
            printf("%" PRId32 "\n", tg_rounding_divide_by_pot(x, exponent));
        } else if (op == 'r') {
            uint32_t bits;
            if (fscanf(in, "%" SCNu32, &bits) != 1) {
                return 3;
            }
            printf("%" PRId32 "\n", tg_round_half_even_f32(float_of_bits(bits)));
        } else {
            return 4;
        }
    }
    fclose(in);
    return 0;
}
`;

type Vector =
  | { op: 'o'; acc: number; scale: number; zp: number; lo: number; hi: number }
  | { op: 't'; acc: number; multiplier: number; shift: number; zp: number; lo: number; hi: number }
  | { op: 'm'; a: number; b: number }
  | { op: 'd'; x: number; exponent: number }
  | { op: 'r'; x: number };

const bitsView = new DataView(new ArrayBuffer(4));
function float32Bits(x: number): number {
  bitsView.setFloat32(0, x);
  return bitsView.getUint32(0);
}

function line(v: Vector): string {
  switch (v.op) {
    case 'o':
      return `o ${v.acc} ${float32Bits(v.scale)} ${v.zp} ${v.lo} ${v.hi}`;
    case 't':
      return `t ${v.acc} ${v.multiplier} ${v.shift} ${v.zp} ${v.lo} ${v.hi}`;
    case 'm':
      return `m ${v.a} ${v.b}`;
    case 'd':
      return `d ${v.x} ${v.exponent}`;
    case 'r':
      return `r ${float32Bits(v.x)}`;
  }
}

/** What the TypeScript says, repeated once per number the driver prints for that line. */
function expected(v: Vector): number[] {
  switch (v.op) {
    case 'o': {
      const r = requantizeOnnx(v.acc, v.scale, v.zp, v.lo, v.hi);
      return [r, r, r, r, r, r];
    }
    case 't': {
      const r = requantizeTflite(v.acc, { multiplier: v.multiplier, shift: v.shift }, v.zp, v.lo, v.hi);
      return [r, r, r, r, r, r];
    }
    case 'm':
      return [saturatingRoundingDoublingHighMul(v.a, v.b)];
    case 'd':
      return [roundingDivideByPowerOfTwo(v.x, v.exponent)];
    case 'r':
      return [roundHalfEven(v.x)];
  }
}

function checkInt32(v: Vector): void {
  const ints = v.op === 'o' ? [v.acc, v.zp, v.lo, v.hi] : v.op === 't' ? [v.acc, v.multiplier, v.shift, v.zp, v.lo, v.hi] : v.op === 'm' ? [v.a, v.b] : v.op === 'd' ? [v.x, v.exponent] : [];
  for (const n of ints) if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) throw new Error(`not an int32 in ${JSON.stringify(v)}`);
  if ((v.op === 'o' || v.op === 'r') && f32(v.op === 'o' ? v.scale : v.x) !== (v.op === 'o' ? v.scale : v.x)) throw new Error(`not a float32 in ${JSON.stringify(v)}`);
}

let dir = '';
let exe = '';
let batch = 0;

async function runC(vectors: readonly Vector[]): Promise<number[][]> {
  for (const v of vectors) checkInt32(v);
  const input = join(dir, `vectors-${batch++}.txt`);
  writeFileSync(input, vectors.map(line).join('\n') + '\n');
  const { stdout } = await execa(exe, [input], { env: { ASAN_OPTIONS: 'detect_leaks=0' }, maxBuffer: 256 * 1024 * 1024, stripFinalNewline: true });
  const rows = stdout.length === 0 ? [] : stdout.split('\n').map((row) => row.split(' ').map(Number));
  if (rows.length !== vectors.length) throw new Error(`driver printed ${rows.length} lines for ${vectors.length} vectors`);
  return rows;
}

interface Mismatch {
  vector: string;
  typescript: number[];
  c: number[];
}

/** Every vector whose C output differs from the expectation (=== so -0 equals 0). */
function mismatches(vectors: readonly Vector[], c: readonly number[][], want: readonly number[][] = vectors.map(expected)): Mismatch[] {
  const out: Mismatch[] = [];
  vectors.forEach((v, i) => {
    const got = c[i]!;
    const ts = want[i]!;
    if (got.length !== ts.length || got.some((x, k) => x !== ts[k])) out.push({ vector: line(v), typescript: ts, c: got });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hand-picked edge cases (the ones the unit tests derive by hand, in the C driver's domain).

const INT8 = { lo: -128, hi: 127 };
const WIDE = { lo: INT32_MIN, hi: INT32_MAX };
/** The widest onnx range the C rounding supports: |bound - zp| < 2^22. */
const WIDE_ONNX = { lo: -(2 ** 22) + 1, hi: 2 ** 22 - 1 };

function edgeVectors(): Vector[] {
  const v: Vector[] = [];
  const onnx = (acc: number, scale: number, zp = 0, range = INT8) => v.push({ op: 'o', acc, scale: f32(scale), zp, ...range });
  const tfl = (acc: number, multiplier: number, shift: number, zp = 0, range = INT8) => v.push({ op: 't', acc, multiplier, shift, zp, ...range });

  // roundHalfEven on float32 ties and near-ties, up to the C path's limit 2^22 - 0.5.
  for (const x of [0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, -3.5, 2.4, 2.6, -2.4, -2.6, 126.5, 127.5, -128.5, 4194302.5, 4194303.5, -4194303.5, 4194303, 0.49999997, -0.49999997, 0.50000006, 1e-30, -1e-30]) {
    v.push({ op: 'r', x: f32(x) });
  }

  // onnx: plain, negative, ties (power-of-two multipliers), ties made by the float32 multiply.
  for (const [acc, m] of [[100, 0.25], [-100, 0.25], [-7, 0.25], [-5, 0.25], [-6, 0.25], [0, 0.25], [3, 0.5], [5, 0.5], [7, 0.5], [1, 0.5], [-1, 0.5], [-3, 0.5], [-5, 0.5], [-7, 0.5], [12, 0.125], [20, 0.125], [-20, 0.125], [253, 0.5], [255, 0.5], [15, 1 / 6], [-15, 1 / 6]] as const) {
    onnx(acc, m);
  }
  // Saturation and zero points.
  for (const [acc, m, zp] of [[1000, 0.5, 0], [-1000, 0.5, 0], [INT32_MAX, 1, 0], [INT32_MIN, 1, 0], [254, 0.5, 0], [-256, 0.5, 0], [-258, 0.5, 0], [100, 0.25, -3], [-100, 0.25, 5], [5, 0.5, 1], [-5, 0.5, -1], [480, 0.25, 10], [468, 0.25, 10], [464, 0.25, 10], [-480, 0.25, -10], [-472, 0.25, -10], [-468, 0.25, -10], [509, 0.5, -128], [-1, 0.5, -128], [INT32_MAX, 1e30, 127], [INT32_MIN, 1e30, -128], [INT32_MIN, -1e30, 127]] as const) {
    onnx(acc, m, zp);
  }
  onnx(-40, 0.25, -20, { lo: -20, hi: 127 });
  onnx(40, 0.25, -20, { lo: -20, hi: 127 });
  // The int32 accumulator rounded to float32 above 2^24.
  for (const [acc, m] of [[P24 + 1, 2 ** -25], [-(P24 + 1), 2 ** -25], [P24 + 1, 5 * 2 ** -25], [-(P24 + 1), 5 * 2 ** -25], [2 ** 25 + 2, 2 ** -26], [INT32_MAX, 2 ** -32], [INT32_MIN, 2 ** -32], [INT32_MAX, 3 * 2 ** -32], [INT32_MIN, 3 * 2 ** -32], [P24 + 3, 3 * 2 ** -25], [-(P24 + 3), 3 * 2 ** -25]] as const) {
    onnx(acc, m);
  }
  // Wide ranges, still inside the C rounding's domain.
  onnx(P24 + 3, 0.125, 0, WIDE_ONNX); // f32 -> 2^24 + 4; / 8 = 2097152.5 -> 2097152
  onnx(P24 + 3, 0.0625, 0, WIDE_ONNX); // 1048576.25 -> 1048576
  onnx(INT32_MAX, 2 ** -10, 0, WIDE_ONNX); // 2^21
  onnx(INT32_MIN, 2 ** -10, 0, WIDE_ONNX);
  onnx(INT32_MIN, 2 ** -9, 0, WIDE_ONNX); // -2^22 -> clipped to -(2^22 - 1)
  onnx(1000001, 0.5, 17, WIDE_ONNX); // 500000.5 -> 500000, + 17

  // SRDHM.
  for (const [a, b] of [[INT32_MIN, INT32_MIN], [INT32_MIN, INT32_MAX], [INT32_MAX, INT32_MIN], [INT32_MAX, INT32_MAX], [INT32_MIN, P30], [INT32_MAX, P30], [INT32_MIN, 1], [0, INT32_MIN], [1, P30], [3, P30], [-1, P30], [-3, P30], [-3, 2 ** 29], [-1, 2 ** 29], [-5, 2 ** 29], [5, -P30], [-1, -1], [INT32_MIN, -1]] as const) {
    v.push({ op: 'm', a, b });
  }
  // RDBPOT, including exponents 0 and 31.
  for (const [x, exponent] of [[5, 1], [-5, 1], [3, 1], [-3, 1], [-1, 1], [-6, 2], [6, 2], [-4, 1], [-7, 2], [-5, 2], [5, 2], [7, 2], [-5, 0], [INT32_MIN, 0], [INT32_MAX, 0], [INT32_MIN, 31], [INT32_MAX, 31], [P30, 31], [-P30, 31], [P30 - 1, 31], [-P30 + 1, 31], [-P30 - 1, 31], [INT32_MIN, 30], [INT32_MAX, 30], [-1, 31], [1, 31]] as const) {
    v.push({ op: 'd', x, exponent });
  }

  // tflite: quantizeMultiplier outputs for the hand-derived reals, on a spread of accumulators.
  const reals = [0.5, 0.25, 1, 4, 0.75, 0.375, 3, 0.75 + 2 ** -32, 1 - 2 ** -33, 1 - 2 ** -32, 0.5 - 2 ** -34, 2 - 2 ** -32, 1 - 2 ** -31, 1 - 1.5 * 2 ** -31, 2 ** -32, 2 ** -33, 1e-10, 2 ** -32 * (1 - 2 ** -40), 0.75 * 2 ** -31, 0.1, 0.3];
  for (const real of reals) {
    const q = quantizeMultiplier(real);
    for (const acc of [0, 1, -1, 3, -3, 101, -101, 255, -255, 1 << 20, -(1 << 20), INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1]) {
      // A left shift of a large accumulator wraps; the full int32 range keeps the raw result visible.
      tfl(acc, q.multiplier, q.shift, 0, WIDE);
      tfl(acc, q.multiplier, q.shift, 0);
    }
  }
  // Left shifts (one of them wrapping) and the extreme right shift 31.
  tfl(3, P30, 2, 0, WIDE);
  tfl(-5, 1610612736, 1, 0, WIDE);
  tfl(2 ** 29 + 1, P30, 2, 0, WIDE);
  tfl(1, P30, 31, 0, WIDE); // 1 << 31 wraps to INT32_MIN
  tfl(-1, INT32_MAX, 31, 0, WIDE);
  tfl(INT32_MAX, P30, -31, 0, WIDE);
  tfl(INT32_MIN, P30, -31, 0, WIDE);
  tfl(P30 - 1, P30, -31, 0, WIDE);
  tfl(-12, P30, -2, 0, WIDE);
  tfl(-13, P30, -2, 0, WIDE);
  tfl(11, P30, -2, 0, WIDE);
  // requantizeTflite on the extreme accumulators, with zero points and clamps.
  for (const [acc, m, s, zp] of [[INT32_MAX, P30, 0, 0], [INT32_MIN, P30, 0, 0], [INT32_MAX, P30, 0, -128], [INT32_MIN, P30, 0, 127], [INT32_MAX, INT32_MAX, 0, 0], [INT32_MIN, INT32_MAX, 0, 0], [INT32_MAX, P30, -31, 5], [INT32_MIN, P30, -31, 5], [INT32_MAX, 0, 0, -7], [INT32_MIN, 0, 0, -7], [101, P30, -1, 3], [-101, P30, -1, -3], [300, P30, 0, 0], [-300, P30, 0, 0], [INT32_MIN, INT32_MIN, 0, -5], [INT32_MIN, INT32_MIN, 0, 0]] as const) {
    tfl(acc, m, s, zp);
  }
  tfl(-300, P30, 0, 0, { lo: 0, hi: 127 });
  return v;
}

// ---------------------------------------------------------------------------------------------
// Random vectors.

/** A seeded 32-bit generator (xorshift32 state, output scrambled by a multiply). */
function generator(seed: number) {
  let s = seed >>> 0 || 1;
  const u32 = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return Math.imul(s, 0x9e3779b1) >>> 0;
  };
  const unit = (): number => (u32() + u32() / 2 ** 32) / 2 ** 32; // [0, 1), 53 random bits-ish
  const int = (lo: number, hi: number): number => lo + Math.floor(unit() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const logUniform = (lo: number, hi: number): number => Math.exp(Math.log(lo) + unit() * (Math.log(hi) - Math.log(lo)));
  return { u32, unit, int, pick, logUniform, i32: () => u32() | 0, sign: () => (u32() & 1 ? 1 : -1) };
}
type Gen = ReturnType<typeof generator>;

function toInt32(x: number): number {
  return Math.max(INT32_MIN, Math.min(INT32_MAX, Math.round(x)));
}

/** Accumulators over the whole int32 range, concentrated near 0, ±2^24, ±2^25 and ±2^31. */
function accumulator(g: Gen): number {
  const r = g.unit();
  if (r < 0.2) return g.i32();
  if (r < 0.4) return g.int(-2000, 2000);
  if (r < 0.6) return g.sign() * Math.floor(2 ** (g.unit() * 31)); // log-uniform magnitude
  if (r < 0.8) return g.sign() * (g.pick([P24, 2 * P24, P24 / 2]) + g.int(-8, 8));
  return g.u32() & 1 ? INT32_MAX - g.int(0, 64) : INT32_MIN + g.int(0, 64);
}

/** Mostly the int8 range; sometimes a ReLU range [zp, 127] or a random sub-range. */
function range(g: Gen, zp: number): { lo: number; hi: number } {
  const r = g.unit();
  if (r < 0.8) return INT8;
  if (r < 0.9) return { lo: zp, hi: 127 };
  const a = g.int(-128, 127);
  const b = g.int(-128, 127);
  return { lo: Math.min(a, b), hi: Math.max(a, b) };
}

/** An accumulator aimed at a scaled value in [-300, 300], where rounding and clamping happen. */
function aimed(g: Gen, real: number): number {
  return toInt32(g.int(-300, 300) / real + g.int(-3, 3));
}

function randomOnnx(g: Gen): Vector {
  const zp = g.int(-128, 127);
  const r = g.unit();
  let acc: number;
  let scale: number;
  if (r < 0.65) {
    // Float32 scales as a model would carry them, through the compiler's own makeRequant.
    const inScale = f32(g.logUniform(1e-4, 1));
    const weightScale = f32(g.logUniform(1e-5, 1e-1));
    const outScale = f32(g.logUniform(1e-3, 1));
    scale = (makeRequant('onnx', inScale, [weightScale], outScale, zp).multipliers as number[])[0]!;
    acc = g.unit() < 0.5 ? aimed(g, scale) : accumulator(g);
  } else if (r < 0.8) {
    // Exact ties: odd c * 2^-k times (2t + 1) * 2^(k-1) = c * (2t + 1) / 2, an odd number of halves.
    const k = g.int(1, 22);
    const c = 2 * g.int(0, 7) + 1;
    const t = Math.floor(150 / c); // keeps most results inside the int8 range
    scale = c * 2 ** -k;
    acc = (2 * g.int(-t, t) + 1) * 2 ** (k - 1);
    if (acc > INT32_MAX || acc < INT32_MIN) acc = 2 ** (k - 1);
  } else if (r < 0.93) {
    // Near-ties made by the float32 multiply: m within a few ulps of (t + 0.5) / acc.
    acc = g.sign() * g.int(3, 1 << 16);
    const target = g.int(-200, 200) + 0.5;
    scale = f32(target / acc);
    scale = f32(scale * (1 + g.int(-3, 3) * 2 ** -23));
  } else {
    // Accumulators that float32 rounds (above 2^24), with multipliers that put them near .5.
    const base = g.pick([P24, 2 * P24, 4 * P24, 64 * P24]);
    acc = g.sign() * (base + g.int(-8, 8));
    scale = f32(g.int(1, 15) * (0.5 / base));
  }
  return { op: 'o', acc: toInt32(acc), scale, zp, ...range(g, zp) };
}

function randomTflite(g: Gen): Vector {
  const zp = g.int(-128, 127);
  const r = g.unit();
  let acc: number;
  let multiplier: number;
  let shift: number;
  if (r < 0.55) {
    // quantizeMultiplier of reals from 1e-10 to 0.99 (shift <= 0).
    const real = g.logUniform(1e-10, 0.99);
    ({ multiplier, shift } = quantizeMultiplier(real));
    acc = g.unit() < 0.5 ? aimed(g, real) : accumulator(g);
  } else if (r < 0.65) {
    // Float32 scales through makeRequant (the double real can exceed 1: left shifts).
    const inScale = f32(g.logUniform(1e-4, 1));
    const weightScale = f32(g.logUniform(1e-5, 1e-1));
    const outScale = f32(g.logUniform(1e-3, 1));
    const q = (makeRequant('tflite', inScale, [weightScale], outScale, zp).multipliers as { multiplier: number; shift: number }[])[0]!;
    ({ multiplier, shift } = q);
    acc = g.unit() < 0.5 ? aimed(g, (inScale * weightScale) / outScale) : accumulator(g);
  } else if (r < 0.73) {
    // Left shifts: reals in [1, 2^20), accumulators that may wrap when shifted.
    ({ multiplier, shift } = quantizeMultiplier(g.logUniform(1, 2 ** 20)));
    acc = g.unit() < 0.5 ? g.int(-1000, 1000) : accumulator(g);
  } else if (r < 0.88) {
    // Exact ties: multiplier 2^30 halves; acc = odd * 2^e ties the divide, odd acc ties the multiply.
    multiplier = P30;
    const e = g.int(0, 31);
    shift = -e;
    const odd = 2 * g.int(-100, 100) + 1;
    acc = g.unit() < 0.5 ? toInt32(odd * 2 ** e) : toInt32(odd * 2 ** Math.max(0, e - g.int(0, 3)) + (g.u32() & 1));
  } else {
    // Any Q31 encoding, including negative multipliers and INT32_MIN.
    multiplier = g.unit() < 0.9 ? g.int(P30, INT32_MAX) : g.unit() < 0.5 ? g.int(INT32_MIN, -P30) : INT32_MIN;
    shift = g.int(-31, 0);
    acc = accumulator(g);
  }
  return { op: 't', acc: toInt32(acc), multiplier, shift, zp, ...range(g, zp) };
}

function randomVectors(seed: number, count: number): Vector[] {
  const g = generator(seed);
  const vectors: Vector[] = [];
  while (vectors.length < count) {
    const r = g.unit();
    let v: Vector;
    if (r < 0.45) v = randomOnnx(g);
    else if (r < 0.9) v = randomTflite(g);
    else if (r < 0.95) v = { op: 'm', a: g.unit() < 0.8 ? g.i32() : g.pick([INT32_MIN, INT32_MAX, 0, 1, -1]), b: g.unit() < 0.8 ? g.i32() : g.pick([INT32_MIN, INT32_MAX, P30, -P30]) };
    else if (r < 0.98) v = { op: 'd', x: g.unit() < 0.7 ? g.i32() : accumulator(g), exponent: g.int(0, 31) };
    else {
      // Float32 values with |x| < 2^22, half of them exact .5 ties.
      const x = g.unit() < 0.5 ? g.int(-(2 ** 22) + 1, 2 ** 22 - 2) + 0.5 : f32(g.sign() * g.logUniform(1e-8, 2 ** 22 - 1));
      v = { op: 'r', x: f32(x) };
    }
    vectors.push(v);
  }
  return vectors;
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tinygen-requant-c-'));
  const source = join(dir, 'requant_driver.c');
  writeFileSync(source, DRIVER);
  exe = join(dir, 'requant_driver');
  await execa('gcc', [...CFLAGS, '-I', KERNELS, source, '-o', exe]);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tg_requant.h against requantize.ts', () => {
  it('agrees on every hand-picked edge case', async () => {
    const vectors = edgeVectors();
    const c = await runC(vectors);
    expect(mismatches(vectors, c)).toEqual([]);
    expect(vectors.length).toBeGreaterThan(500);
  });

  it('agrees on 200k seeded random vectors', async () => {
    const vectors = randomVectors(20240601, 200_000);
    const c = await runC(vectors);
    const bad = mismatches(vectors, c);
    expect(bad.length, JSON.stringify(bad.slice(0, 10))).toBe(0);
    // The generator must keep its spread: every kind of line present in bulk.
    const counts = { o: 0, t: 0, m: 0, d: 0, r: 0 };
    for (const v of vectors) counts[v.op]++;
    expect(counts.o).toBeGreaterThan(80_000);
    expect(counts.t).toBeGreaterThan(80_000);
    expect(Math.min(counts.m, counts.d, counts.r)).toBeGreaterThan(3_000);
  });

  it('would notice a wrong expectation (the comparison can fail)', async () => {
    const vectors = edgeVectors();
    const agreeing = vectors.map(expected);
    const want = vectors.map(expected);
    want[3] = want[3]!.map((x) => x + 1);
    expect(mismatches(vectors, agreeing, want)).toHaveLength(1);
    // And the per-channel struct really selects channel 1: a decoy-channel read would give zp.
    const decoyVisible: Vector = { op: 't', acc: 1000, multiplier: P30, shift: 0, zp: 0, lo: -128, hi: 127 };
    expect(await runC([decoyVisible])).toEqual([[127, 127, 127, 127, 127, 127]]);
  });
});

describe('edges that were undefined behaviour in the C', () => {
  // tg_requant_tflite once added the zero point in int32: signed overflow when the multiplied value
  // was within |zp| of the int32 limits. It must saturate as the TypeScript does.
  it('tflite: zero point addition saturates for acc = INT32_MAX, multiplier = INT32_MAX, shift 0, zp = 2', async () => {
    const v: Vector = { op: 't', acc: INT32_MAX, multiplier: INT32_MAX, shift: 0, zp: 2, lo: -128, hi: 127 };
    // TypeScript: high multiply 2147483646, + 2 = 2147483648, clamped to 127.
    expect(expected(v)).toEqual([127, 127, 127, 127, 127, 127]);
    expect(await runC([v])).toEqual([[127, 127, 127, 127, 127, 127]]);
  });

  it('tflite: zero point addition saturates for acc = INT32_MIN, multiplier = INT32_MAX, zp = -2', async () => {
    const v: Vector = { op: 't', acc: INT32_MIN, multiplier: INT32_MAX, shift: 0, zp: -2, lo: -128, hi: 127 };
    // High multiply: (-2^31 * (2^31 - 1) + nudge) / 2^31 = -(2^31 - 1), minus 2 is below INT32_MIN: -128.
    expect(expected(v)).toEqual([-128, -128, -128, -128, -128, -128]);
    expect(await runC([v])).toEqual([[-128, -128, -128, -128, -128, -128]]);
  });

  // The one-sum form (tg_multiply_q31_right) subtracts 2^31 for a negative accumulator; without it
  // the second rounding's ties would go up instead of away from zero.
  it('tflite one-sum form: ties of the rounding shift go away from zero', async () => {
    // Multiplier 2^30 (0.5) with shift -2: 0.125 in all. acc -4: the doubling high multiply gives
    // floor((-4 2^30 + 2^30) / 2^31) = -2, and -2 / 4 is a tie, rounded away from zero: -1.
    // acc 4: floor(5 2^30 / 2^31) = 2, and 2 / 4 rounds to 1. acc -1: floor(0) = 0, -> 0.
    const at = (acc: number): Vector => ({ op: 't', acc, multiplier: P30, shift: -2, zp: 0, lo: -128, hi: 127 });
    expect(await runC([at(-4), at(4), at(-1)])).toEqual([Array(6).fill(-1), Array(6).fill(1), Array(6).fill(0)]);
  });

  // quantizeMultiplier(real >= 2^31) yields shift >= 32, which the C cannot shift by: the compiler
  // refuses such multipliers instead.
  it('tflite: a multiplier needing shift >= 31 is rejected at compile time', () => {
    expect(quantizeMultiplier(2 ** 31)).toEqual({ multiplier: P30, shift: 32 }); // 2^31 = 0.5 * 2^32
    expect(() => makeRequant('tflite', 2 ** 16, [2 ** 16], 2, 0)).toThrow(UserError);
    expect(() => makeRequant('tflite', 1, [2 ** 29], 1, 0)).not.toThrow();
  });
});
