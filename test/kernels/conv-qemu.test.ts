/**
 * The convolution kernels on the boards: cores with the DSP extension (Cortex-M4F, M7, M33) and
 * MVE (M55) take SIMD bodies that the host never runs, so random convolutions are validated bit-exact
 * under QEMU there, with narrow and wide filters, zero and non-zero weight zero points.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.ts';
import { validate } from '../../src/validate/validate.ts';
import { randomConvModel, randomDepthwiseModel, randomPointwiseModel } from './random-models.ts';

const rng = seededRandom(20261123);
const models = [...Array.from({ length: 4 }, () => randomConvModel(rng, true)), ...Array.from({ length: 2 }, () => randomConvModel(rng))];

describe.concurrent('QLinearConv on DSP cores under QEMU', () => {
  // The pointwise and dense kernels' SMLAD (M4F, M7, M33) and VMLADAV (M55) bodies, with their
  // tails, and the depthwise kernel's SMLABB/SMLATT and int32-lane bodies.
  const fastKernels = [
    ...Array.from({ length: 3 }, () => randomPointwiseModel(rng, true)),
    ...Array.from({ length: 3 }, () => randomDepthwiseModel(rng)),
    ...Array.from({ length: 2 }, () => randomConvModel(rng, true, true)),
    // Pinned, so the draws cannot miss them: an odd pixel count (the lone pixel's 1 x 4 body) with
    // whole groups of four per-channel constants; the 3x3 interior body (DSP) and the sixteen-channel
    // block with per-channel constants (MVE).
    randomPointwiseModel(rng, true, { outChannels: 9, size: [3, 3], perChannel: true }),
    randomDepthwiseModel(rng, { channels: 20, kernel: [3, 3], dilation: [1, 1], perChannel: true }),
  ];
  for (const [i, model] of fastKernels.entries()) {
    // Every DSP and MVE core, and the portable bodies built for the M3 and the M0 (Thumb-1).
    for (const board of ['mps2-an386', 'mps3-an547', 'mps2-an500', 'mps2-an505', 'mps2-an385', 'microbit']) {
      it(`${model.summary} on ${board}`, async () => {
        const report = await validate({ modelPath: model.path, board, inputs: 3, seed: i + 11, rounding: i % 2 === 0 ? 'tflite' : 'onnx' });
        expect(report.failure).toBeUndefined();
        expect(report.mismatchCount, JSON.stringify(report.mismatches.slice(0, 3))).toBe(0);
      });
    }
  }

  for (const [i, model] of models.entries()) {
    // Every DSP core: M4F, M55, and for the wide filters M7 and M33 as well.
    for (const board of i < 4 ? ['mps2-an386', 'mps3-an547', 'mps2-an500', 'mps2-an505'] : ['mps2-an386', 'mps3-an547']) {
      it(`${model.summary} on ${board}`, async () => {
        const report = await validate({ modelPath: model.path, board, inputs: 4, seed: i + 1, rounding: i % 2 === 0 ? 'onnx' : 'tflite' });
        expect(report.failure).toBeUndefined();
        expect(report.bytesCompared).toBeGreaterThan(0);
        expect(report.mismatchCount, JSON.stringify(report.mismatches.slice(0, 3))).toBe(0);
      });
    }
  }
});
