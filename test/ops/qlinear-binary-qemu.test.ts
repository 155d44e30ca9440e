/**
 * QLinearAdd and QLinearMul on the boards: the M55 takes vector bodies the host never runs (int32
 * lanes in tflite rounding, float32 lanes with VFMA and VCVTN in onnx rounding), so elementwise
 * models with a vector tail are validated bit-exact under QEMU there, beside the M4F's scalar
 * build, in both rounding modes.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.ts';
import { validate } from '../../src/validate/validate.ts';
import { buildBinaryModel, describeSpec, type BinaryModelSpec } from './qlinear-binary-models.ts';

const rng = seededRandom(20261207);
// Same shapes (the vector path), 105 elements (26 whole steps of four and a tail of one), ties
// (exact k / 2^n scales) and arbitrary scales, int8 and uint8; and a broadcast one (the scalar path).
const specs: BinaryModelSpec[] = [
  { op: 'QLinearAdd', form: 'qoperator', dtype: 'int8', aShape: [1, 7, 5, 3], bShape: [1, 7, 5, 3], constant: 'none', scales: [0.0625, 0.09375, 0.125], zeroPoints: [-3, 17, -128] },
  { op: 'QLinearAdd', form: 'qoperator', dtype: 'uint8', aShape: [1, 7, 5, 3], bShape: [1, 7, 5, 3], constant: 'none', scales: [Math.fround(0.0123), Math.fround(0.0371), Math.fround(0.0419)], zeroPoints: [128, 3, 250] },
  { op: 'QLinearMul', form: 'qoperator', dtype: 'int8', aShape: [1, 7, 5, 3], bShape: [1, 7, 5, 3], constant: 'none', scales: [0.0625, Math.fround(0.043), 0.25], zeroPoints: [5, -9, 0] },
  { op: 'QLinearAdd', form: 'qdq', dtype: 'int8', aShape: [1, 4, 6, 3], bShape: [3], constant: 'b', scales: [0.03125, 0.0625, 0.0625], zeroPoints: [0, 10, -20] },
];

describe.concurrent('QLinearAdd / QLinearMul under QEMU', () => {
  for (const [i, spec] of specs.entries()) {
    const path = buildBinaryModel(spec, rng);
    for (const board of ['mps3-an547', 'mps2-an386']) {
      for (const rounding of ['onnx', 'tflite'] as const) {
        it(`${describeSpec(spec)} on ${board}, ${rounding} rounding`, async () => {
          const report = await validate({ modelPath: path, board, inputs: 4, seed: i + 1, rounding });
          expect(report.failure).toBeUndefined();
          expect(report.mismatchCount, JSON.stringify(report.mismatches.slice(0, 3))).toBe(0);
        });
      }
    }
  }
});
