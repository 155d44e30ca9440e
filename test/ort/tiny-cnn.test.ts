/** The example models against ONNX Runtime: identical bytes in onnx mode, at most 1 LSB in tflite mode. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { MODELS } from '../helpers/paths.ts';
import { oracleDiff } from '../helpers/oracle.ts';

describe('reference vs ONNX Runtime', () => {
  for (const model of ['tiny_cnn_qop', 'tiny_cnn_u8_qop']) {
    it(`${model}: identical in onnx mode`, async () => {
      const diff = await oracleDiff(join(MODELS, `${model}.onnx`), 'onnx', 50);
      expect(diff.elements).toBe(300);
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    });
    it(`${model}: within 1 LSB in tflite mode`, async () => {
      const diff = await oracleDiff(join(MODELS, `${model}.onnx`), 'tflite', 50);
      expect(diff.maxDiff).toBeLessThanOrEqual(1);
    });
  }
});
