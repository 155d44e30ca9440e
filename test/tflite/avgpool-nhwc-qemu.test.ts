/**
 * TFLite AVERAGE_POOL_2D's channels-innermost kernel on the boards: the M55's sixteen-channel and
 * predicated four-channel MVE steps and the M4F's portable body, on 19 channels (16 + 3) with SAME
 * padding (border windows count fewer taps), bit-exact against the reference on random inputs.
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
