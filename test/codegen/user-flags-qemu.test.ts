/**
 * The firmware stays bit-exact whatever optimisation and floating-point flags the user's project
 * builds with: validate --cflags puts them after tinygen's own, for the model, the harness and the
 * kernels alike. -ffp-contract=fast is gcc's default and fuses float multiply-adds on cores with an
 * FPU (tinygen_kernels.h turns that off for tinygen's own code); -O0/-Os/-O3 change inlining and
 * vectorisation; -fshort-enums changes enum sizes. MLPerf Tiny's four networks (TFLite, integer
 * requantization) and an ONNX residual block in onnx rounding (float32 requantization), on a DSP core
 * (M4F) and an MVE core (M55).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../../src/validate/validate.ts';
import { buildNetwork } from '../helpers/networks.ts';
import { MLPERF_TINY_NETWORKS, writeMlperfTinyNetwork, type MlperfTinyNetwork } from '../helpers/tflite-networks.ts';

const FLAG_SETS: Record<string, string[][]> = {
  'mps2-an386': [['-O0'], ['-Os'], ['-O3'], ['-ffp-contract=fast'], ['-fshort-enums']],
  // -O0 is left out on the M55: MLPerf VWW's unoptimised MVE code outgrows its 512 KiB ITCM.
  'mps3-an547': [['-Os'], ['-O3', '-ffp-contract=fast', '-fshort-enums']],
};

describe.concurrent('bit-exact under the user\'s compiler flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-user-flags-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const models: { label: string; path: () => string }[] = [
    ...(Object.keys(MLPERF_TINY_NETWORKS) as MlperfTinyNetwork[]).map((n) => ({ label: `MLPerf Tiny ${n}`, path: () => writeMlperfTinyNetwork(n, dir) })),
    // QLinearAdd and a global average pool requantize in float32: under -ffp-contract=fast without
    // tinygen_kernels.h's pragma, 39 of 50 inputs came out wrong on the M4F.
    { label: 'resnet_block (ONNX, onnx rounding)', path: () => buildNetwork('resnet_block', 'qop', 'uint8') },
  ];
  for (const [board, flagSets] of Object.entries(FLAG_SETS)) {
    for (const cflags of flagSets) {
      for (const { label, path } of models) {
        it(`${label} on ${board} with ${cflags.join(' ')}`, async () => {
          const report = await validate({ modelPath: path(), board, inputs: 10, cflags, trace: false });
          expect(report.failure).toBeUndefined();
          expect(report.mismatchCount).toBe(0);
          expect(report.bytesCompared).toBeGreaterThan(0);
          expect(report.passed).toBe(true);
        });
      }
    }
  }
});
