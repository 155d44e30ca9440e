/**
 * The MVE requantization (tg_requant_channels_mve, tg_requant_four_mve in firmware/kernels/
 * tg_requant.h) against src/numerics/requantize.ts, on the Cortex-M55 under QEMU: the host never
 * compiles it. A driver built for mps3-an547 reads groups of four vectors (one per lane; a group
 * shares its zero point and range, as a layer's channels do) from a file over semihosting and
 * writes each lane three ways to a result file (QEMU may drop semihosted stdout written faster than
 * a pipe drains): the predicated four-channel form, the unpredicated one, and the one-entry
 * (per-tensor) form with the lane's constants broadcast, and the strided form (channels 0, 2, 4, 6
 * of an eight-channel layer whose odd channels are decoys, as the depthwise kernel's int16 lanes
 * gather them).
 *
 * Line format: `t acc multiplier shift zp lo hi` (tflite) or `o acc scale_bits zp lo hi` (onnx),
 * four lines per group.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/boards/board.ts';
import { buildFirmware } from '../../src/toolchain/build.ts';
import { runFirmware } from '../../src/toolchain/qemu.ts';
import { KERNELS_DIR } from '../../src/toolchain/object-cache.ts';
import { INT32_MAX, INT32_MIN, quantizeMultiplier, requantizeOnnx, requantizeTflite } from '../../src/numerics/requantize.ts';
import { seededRandom } from '../../src/util/random.ts';

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
    if (argc != 3) {
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    FILE *out = fopen(argv[2], "w");
    if (in == NULL || out == NULL) {
        return 2;
    }
    char op;
    while (fscanf(in, " %c", &op) == 1) {
        int32_t acc[4] = {0}, multiplier[4] = {0}, zp = 0, lo = 0, hi = 0;
        int8_t left[4] = {0}, right[4] = {0};
        float scale[4] = {0.0f};
        for (int lane = 0; lane < 4; lane++) {
            if (lane > 0 && fscanf(in, " %c", &op) != 1) {
                return 3;
            }
            if (op == 't') {
                int32_t shift;
                if (fscanf(in, "%" SCNd32 " %" SCNd32 " %" SCNd32 " %" SCNd32 " %" SCNd32 " %" SCNd32, &acc[lane], &multiplier[lane], &shift, &zp, &lo, &hi) != 6) {
                    return 3;
                }
                left[lane] = (int8_t)(shift > 0 ? shift : 0);
                right[lane] = (int8_t)(shift > 0 ? 0 : -shift);
            } else {
                uint32_t bits;
                if (fscanf(in, "%" SCNd32 " %" SCNu32 " %" SCNd32 " %" SCNd32 " %" SCNd32, &acc[lane], &bits, &zp, &lo, &hi) != 5) {
                    return 3;
                }
                scale[lane] = float_of_bits(bits);
            }
        }
        const int32_t mode = op == 't' ? TG_ROUND_TFLITE : TG_ROUND_ONNX;
        const tg_channel_requant_t rq = { -1, multiplier, left, right, scale, zp, lo - zp, hi - zp, NULL };
        const int32x4_t sums = vldrwq_s32(acc);
        int32_t predicated[4], whole[4], strided[4];
        vst1q_s32(predicated, tg_requant_channels_mve(&rq, 0, sums, mode, vctp32q(4u)));
        vst1q_s32(whole, tg_requant_four_mve(&rq, 0, sums, mode));
        int32_t multiplier8[8];
        int8_t left8[8], right8[8];
        float scale8[8];
        for (int lane = 0; lane < 8; lane++) {
            const int from = lane / 2;
            const int decoy = lane % 2;
            multiplier8[lane] = decoy ? 0 : multiplier[from];
            left8[lane] = decoy ? 0 : left[from];
            right8[lane] = decoy ? 0 : right[from];
            scale8[lane] = decoy ? 0.0f : scale[from];
        }
        const tg_channel_requant_t rq8 = { -1, multiplier8, left8, right8, scale8, zp, lo - zp, hi - zp, NULL };
        vst1q_s32(strided, tg_requant_strided_mve(&rq8, 0, sums, mode));
        for (int lane = 0; lane < 4; lane++) {
            const tg_channel_requant_t one = { 0, &multiplier[lane], &left[lane], &right[lane], &scale[lane], zp, lo - zp, hi - zp, NULL };
            int32_t broadcast[4];
            vst1q_s32(broadcast, tg_requant_channels_mve(&one, 4, vdupq_n_s32(acc[lane]), mode, vctp32q(4u)));
            fprintf(out, "%" PRId32 " %" PRId32 " %" PRId32 " %" PRId32 "\n", predicated[lane], whole[lane], broadcast[0], strided[lane]);
        }
    }
    fclose(in);
    return fclose(out) == 0 ? 0 : 4;
}
`;

interface Vector {
  line: string;
  expected: number;
}

const bitsView = new DataView(new ArrayBuffer(4));
const float32Bits = (x: number) => (bitsView.setFloat32(0, x), bitsView.getUint32(0));

/** Groups of four lanes: accumulators at and near the int32 limits, left shifts up to 30, right shifts up to 31. */
function vectors(): Vector[] {
  const rng = seededRandom(20261207);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const accumulator = (): number => {
    const r = rng();
    if (r < 0.25) return [0, 1, -1, INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1, 2 ** 24 + 1, -(2 ** 24) - 1][int(0, 8)]!;
    if (r < 0.5) return int(-3000, 3000);
    return int(INT32_MIN, INT32_MAX);
  };
  const out: Vector[] = [];
  for (let group = 0; group < 400; group++) {
    const zp = int(-128, 127);
    const [lo, hi] = rng() < 0.7 ? [-128, 127] : [zp, 127];
    const tflite = group % 2 === 0;
    for (let lane = 0; lane < 4; lane++) {
      const acc = accumulator();
      if (tflite) {
        // Reals from 2^-32 (right shift 31) to 2^30 (left shift 30), and exact ties at 2^-k.
        const real = rng() < 0.2 ? 2 ** -int(1, 31) : 2 ** (rng() * 62 - 32);
        const q = quantizeMultiplier(Math.min(real, 2 ** 30 * 0.99));
        if (q.shift > 30 || q.shift < -31) continue;
        out.push({ line: `t ${acc} ${q.multiplier} ${q.shift} ${zp} ${lo} ${hi}`, expected: requantizeTflite(acc, q, zp, lo, hi) });
      } else {
        const scale = Math.fround(2 ** (rng() * 40 - 36));
        out.push({ line: `o ${acc} ${float32Bits(scale)} ${zp} ${lo} ${hi}`, expected: requantizeOnnx(acc, scale, zp, lo, hi) });
      }
    }
    // A group skipped a lane: drop the whole group so lanes stay in fours.
    const partial = out.length % 4;
    if (partial !== 0) out.splice(out.length - partial, partial);
  }
  return out;
}

describe('MVE requantization on the Cortex-M55 (QEMU)', () => {
  it('equals the reference lane by lane: predicated, unpredicated, broadcast and strided', async () => {
    const board = loadBoard('mps3-an547');
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-requant-mve-'));
    const source = join(dir, 'requant_mve_driver.c');
    writeFileSync(source, DRIVER);
    const build = await buildFirmware({ board, sources: [source], includeDirs: [KERNELS_DIR], outDir: dir, name: 'requant_mve' });
    const cases = vectors();
    expect(cases.length).toBeGreaterThan(1200);
    writeFileSync(join(dir, 'vectors.txt'), cases.map((v) => v.line).join('\n') + '\n');
    const run = await runFirmware({ board, elfPath: build.elfPath, args: ['vectors.txt', 'results.txt'], cwd: dir, timeoutMs: 120_000 });
    expect(run.exitCode, run.stderr).toBe(0);
    const rows = readFileSync(join(dir, 'results.txt'), 'utf8').trim().split('\n').map((row) => row.split(' ').map(Number));
    expect(rows).toHaveLength(cases.length);
    const wrong = cases.flatMap((v, i) => (rows[i]!.every((x) => x === v.expected) ? [] : [`${v.line} -> ${rows[i]!.join(' ')}, want ${v.expected}`]));
    expect(wrong.slice(0, 5)).toEqual([]);
  }, 300_000);
});
