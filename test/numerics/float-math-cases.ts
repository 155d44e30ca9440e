/**
 * Inputs and the C driver shared by the float-math tests (host: float-math.test.ts; boards under
 * QEMU: float-math-qemu.test.ts). The driver reads float32 bit patterns from argv[1] and writes, per
 * input, the bits of tg_expf, tg_tanhf and tg_sigmoidf to argv[2].
 */
import { bitsOfFloat } from '../../src/numerics/float-math.ts';
import { seededRandom } from '../../src/util/random.ts';

const f32 = Math.fround;

export const DRIVER = String.raw`
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tg_float_math.h"

static uint32_t bits_of(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    FILE *out = fopen(argv[2], "wb");
    if (in == NULL || out == NULL) {
        return 2;
    }
    uint32_t x;
    while (fread(&x, sizeof x, 1, in) == 1) {
        const float v = tg_float_from_bits(x);
        const uint32_t r[3] = { bits_of(tg_expf(v)), bits_of(tg_tanhf(v)), bits_of(tg_sigmoidf(v)) };
        if (fwrite(r, sizeof r, 1, out) != 1) {
            return 3;
        }
    }
    fclose(in);
    return fclose(out) == 0 ? 0 : 3;
}
`;

/** The test inputs, as float32 bit patterns. */
export function inputs(scale = 1): Uint32Array {
  const list: number[] = [];
  const push = (v: number) => list.push(bitsOfFloat(v));
  // Every 2^32 / 2^20 = 4096th bit pattern, offset so the low mantissa bits vary too.
  const sweep = Math.round((1 << 20) * scale);
  const stride = Math.floor(2 ** 32 / sweep);
  for (let i = 0; i < sweep; i++) list.push((i * stride + ((i * 2654435761) >>> 20)) >>> 0);
  const random = seededRandom(20261123);
  for (const [lo, hi, count] of [
    [-110, 95, 600_000],
    [-12, 12, 600_000],
    [-1, 1, 300_000],
    [-0.01, 0.01, 100_000],
  ] as const) {
    for (let i = 0; i < Math.round(count * scale); i++) push(f32(lo + (hi - lo) * random()));
  }
  // 2000 neighbouring floats on each side of every threshold.
  const around = (v: number) => {
    const b = bitsOfFloat(f32(v));
    const span = Math.round(2000 * scale);
    for (let d = -span; d <= span; d++) {
      const n = v >= 0 ? b + d : b - d;
      if (n >= 0 && n <= 0xffffffff) list.push(n >>> 0);
    }
  };
  for (const t of [0.55, -0.55, 9.5, -9.5, 88.8, 88.72283935546875, -104, -103.972, -87.33654, 0, -0]) around(t);
  // Range-reduction ties: x * log2(e) at k + 1/2 for every k the reduction reaches.
  for (let k = -151; k <= 129; k++) around(f32((k + 0.5) * Math.LN2));
  for (const v of [Infinity, -Infinity, NaN, 3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, -1.401298464324817e-45]) push(v);
  return Uint32Array.from(list);
}

