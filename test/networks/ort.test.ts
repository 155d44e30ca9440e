/**
 * Whole networks in both ONNX forms against ONNX Runtime: identical bytes in onnx mode; in tflite
 * mode at most 1 LSB apart, with the rate of such differences printed for the record.
 */
import { describe, expect, it } from 'vitest';
import { buildNetwork, NETWORKS } from '../helpers/networks.ts';
import { oracleDiff } from '../helpers/oracle.ts';

describe('networks vs ONNX Runtime', () => {
  for (const network of NETWORKS) {
    for (const form of ['qop', 'qdq'] as const) {
      it(`${network} (${form}) is identical in onnx mode and within 1 LSB in tflite mode`, async () => {
        const model = buildNetwork(network, form);
        const onnx = await oracleDiff(model, 'onnx', 20);
        expect(onnx.elements).toBeGreaterThan(0);
        expect(onnx.mismatches, JSON.stringify(onnx.first)).toBe(0);
        const tflite = await oracleDiff(model, 'tflite', 20);
        // In the QDQ form outputs are dequantized floats: 1 LSB is one output scale step.
        expect(tflite.maxDiff).toBeLessThanOrEqual(form === 'qop' ? 1 : 0.5);
        console.log(`tflite vs ORT ${network} ${form}: ${tflite.mismatches}/${tflite.elements} outputs differ (${((100 * tflite.mismatches) / tflite.elements).toFixed(2)}%)`);
      });
    }
  }
});
