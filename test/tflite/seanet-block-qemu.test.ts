/**
 * A SEANet-like 16x8 encoder block built in the test, validated bit-exact on every QEMU board:
 * an int8 input quantized to int16, PAD, a 3x3 CONV_2D with per-channel int8 weights and an
 * int64 bias, LEAKY_RELU, a skip path through STRIDED_SLICE, ADD, and two outputs: the int16
 * block output and the same quantized back to int8 (a mixed int8 / int16 model joined by QUANTIZE).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinygen } from '../helpers/cli.ts';
import { buildTflite, conv2dOptions, leakyReluOptions, stridedSliceOptions } from '../helpers/tflite-builder.ts';
import { BuiltinOperator, TensorType } from '../../src/frontend/tflite/schema.ts';
import { seededRandom } from '../../src/util/random.ts';

const { INT8, INT16, INT32, INT64 } = TensorType;
const { ADD, CONV_2D, LEAKY_RELU, PAD, QUANTIZE, STRIDED_SLICE } = BuiltinOperator;
const BOARDS = ['lm3s6965evb', 'microbit', 'mps2-an385', 'mps2-an386', 'mps2-an500', 'mps2-an505', 'mps3-an547', 'netduinoplus2'];

function encoderBlock(): Uint8Array {
  const random = seededRandom(2026);
  const [h, w, c] = [4, 8, 8];
  const weights = Int8Array.from({ length: c * 3 * 3 * c }, () => Math.floor(random() * 255) - 127);
  const bias = BigInt64Array.from({ length: c }, () => BigInt(Math.floor(random() * 2 ** 20) - 2 ** 19));
  const channelScales = Array.from({ length: c }, (_, i) => 0.004 + 0.0005 * i);
  return buildTflite({
    tensors: [
      /* 0 */ { name: 'x8', type: INT8, shape: [1, h, w, c], scale: [0.03], zeroPoint: [3] },
      /* 1 */ { name: 'x', type: INT16, shape: [1, h, w, c], scale: [0.0002], zeroPoint: [0] },
      /* 2 */ { name: 'paddings', type: INT32, shape: [4, 2], data: Int32Array.from([0, 0, 0, 0, 1, 1, 0, 0]) },
      /* 3 */ { name: 'padded', type: INT16, shape: [1, h, w + 2, c], scale: [0.0002], zeroPoint: [0] },
      /* 4 */ { name: 'w', type: INT8, shape: [c, 3, 3, c], data: weights, scale: channelScales, zeroPoint: channelScales.map(() => 0), quantizedDimension: 0 },
      /* 5 */ { name: 'b', type: INT64, shape: [c], data: bias },
      /* 6 */ { name: 'conv', type: INT16, shape: [1, h - 2, w, c], scale: [0.0011], zeroPoint: [0] },
      /* 7 */ { name: 'act', type: INT16, shape: [1, h - 2, w, c], scale: [0.0009], zeroPoint: [0] },
      /* 8 */ { name: 'begin', type: INT32, shape: [4], data: Int32Array.from([0, 2, 0, 0]) },
      /* 9 */ { name: 'end', type: INT32, shape: [4], data: Int32Array.from([1, h, w, c]) },
      /* 10 */ { name: 'strides', type: INT32, shape: [4], data: Int32Array.from([1, 1, 1, 1]) },
      /* 11 */ { name: 'skip', type: INT16, shape: [1, h - 2, w, c], scale: [0.0002], zeroPoint: [0] },
      /* 12 */ { name: 'y', type: INT16, shape: [1, h - 2, w, c], scale: [0.0013], zeroPoint: [0] },
      /* 13 */ { name: 'y8', type: INT8, shape: [1, h - 2, w, c], scale: [0.3], zeroPoint: [-4] },
    ],
    operators: [
      { code: QUANTIZE, inputs: [0], outputs: [1] },
      { code: PAD, inputs: [1, 2], outputs: [3] },
      { code: CONV_2D, inputs: [3, 4, 5], outputs: [6], options: conv2dOptions({ padding: 1, stride: [1, 1] }) },
      { code: LEAKY_RELU, inputs: [6], outputs: [7], options: leakyReluOptions(0.2) },
      { code: STRIDED_SLICE, inputs: [1, 8, 9, 10], outputs: [11], options: stridedSliceOptions({}) },
      { code: ADD, inputs: [7, 11], outputs: [12] },
      { code: QUANTIZE, inputs: [12], outputs: [13] },
    ],
    inputs: [0],
    outputs: [12, 13],
  });
}

describe('a SEANet-like 16x8 encoder block', () => {
  it('validates bit-exact on every QEMU board, int16 and int8 outputs', async () => {
    const work = mkdtempSync(join(tmpdir(), 'tinygen-seanet-block-'));
    try {
      const model = join(work, 'encoder_block.tflite');
      writeFileSync(model, encoderBlock());
      const result = await tinygen(['validate', model, ...BOARDS.flatMap((b) => ['--board', b]), '--inputs', '20', '--json']);
      expect(result.exitCode, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { cells: { board: string; passed: boolean; inputs: number; mismatchCount: number }[] };
      expect(report.cells.map((c) => c.board).sort()).toEqual([...BOARDS].sort());
      for (const cell of report.cells) expect(cell).toMatchObject({ passed: true, inputs: 20, mismatchCount: 0 });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
