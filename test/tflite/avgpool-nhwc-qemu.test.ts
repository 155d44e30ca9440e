/**
 * TFLite AVERAGE_POOL_2D's channels-innermost kernel on the boards: the M55's sixteen-channel and
 * predicated four-channel MVE steps and the M4F's portable body, on 19 channels (16 + 3) with SAME
 * padding (border windows count fewer taps), bit-exact against the reference on random inputs;
 * and a 41-tap window whose rounded sum divides exactly (the M55 divides in float32 lanes).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '../../src/validate/validate.ts';
import { buildTflite, pool2dOptions, type ModelSpec } from '../helpers/tflite-builder.ts';
import { BuiltinOperator, Padding, TensorType } from '../../src/frontend/tflite/schema.ts';

const spec: ModelSpec = {
  tensors: [
    { name: 'x', type: TensorType.INT8, shape: [1, 5, 4, 19], scale: [0.05], zeroPoint: [-7] },
    { name: 'y', type: TensorType.INT8, shape: [1, 3, 2, 19], scale: [0.05], zeroPoint: [-7] },
  ],
  operators: [{ code: BuiltinOperator.AVERAGE_POOL_2D, inputs: [0], outputs: [1], options: pool2dOptions({ padding: Padding.SAME, stride: [2, 2], filter: [3, 3] }) }],
  inputs: [0],
  outputs: [1],
};

describe.concurrent('TFLite AVERAGE_POOL_2D, channels innermost, under QEMU', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tinygen-avgpool-')), 'avgpool.tflite');
  writeFileSync(path, buildTflite(spec));
  for (const board of ['mps3-an547', 'mps2-an386']) {
    it(`19 channels, 3x3 SAME stride 2, on ${board}`, async () => {
      const report = await validate({ modelPath: path, board, inputs: 4, seed: 5 });
      expect(report.failure).toBeUndefined();
      expect(report.bytesCompared).toBe(4 * 3 * 2 * 19);
      expect(report.mismatchCount, JSON.stringify(report.mismatches.slice(0, 3))).toBe(0);
    });
  }
});

// One 1x41 window over 16 channels: a sum of -5228 gives (sum - 20) / 41 = -128 exactly. In
// float32, -5248 times the rounded 1/41 is just above -128 and would truncate to -127; the kernel
// moves the dividend half a unit away from zero first (tg_avg_divide_lanes).
const exact: ModelSpec = {
  tensors: [
    { name: 'x', type: TensorType.INT8, shape: [1, 1, 41, 16], scale: [0.05], zeroPoint: [0] },
    { name: 'y', type: TensorType.INT8, shape: [1, 1, 1, 16], scale: [0.05], zeroPoint: [0] },
  ],
  operators: [{ code: BuiltinOperator.AVERAGE_POOL_2D, inputs: [0], outputs: [1], options: pool2dOptions({ padding: Padding.VALID, stride: [1, 1], filter: [1, 41] }) }],
  inputs: [0],
  outputs: [1],
};

describe('TFLite AVERAGE_POOL_2D: a quotient that is an exact integer, under QEMU', () => {
  it('41 taps summing to -5228 give -128 on the M55', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-avgpool-exact-'));
    const path = join(dir, 'avgpool.tflite');
    writeFileSync(path, buildTflite(exact));
    // Every channel: forty taps of -128 and one of -108 (sum -5228).
    const record = new Int8Array(41 * 16).fill(-128);
    record.fill(-108, 40 * 16);
    const inputs = join(dir, 'inputs.bin');
    writeFileSync(inputs, record);
    const report = await validate({ modelPath: path, board: 'mps3-an547', inputs });
    expect(report.failure).toBeUndefined();
    expect(report.mismatchCount, JSON.stringify(report.mismatches.slice(0, 3))).toBe(0);
  });
});
