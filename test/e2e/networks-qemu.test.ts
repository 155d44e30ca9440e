/** The four test networks, both ONNX forms, both rounding modes: bit-exact under QEMU on mps2-an386. */
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/validate/validate.ts';
import { ROUNDING_MODES } from '../../src/numerics/requantize.ts';
import { buildNetwork, NETWORKS, type ActType, type Form } from '../helpers/networks.ts';

const CASES: [Form, ActType][] = [
  ['qop', 'int8'],
  ['qdq', 'uint8'],
];

describe.concurrent('networks under QEMU', () => {
  for (const network of NETWORKS) {
    for (const [form, act] of CASES) {
      it(`${network} (${form}, ${act}) in both rounding modes`, async () => {
        const model = buildNetwork(network, form, act);
        for (const rounding of ROUNDING_MODES) {
          const report = await validate({ modelPath: model, board: 'mps2-an386', inputs: 5, rounding });
          expect(report.failure, `${rounding}`).toBeUndefined();
          expect(report.mismatchCount, `${rounding}: ${JSON.stringify(report.mismatches[0])}`).toBe(0);
          expect(report.passed).toBe(true);
        }
      });
    }
  }
});

describe.concurrent(`QDQ int8 resnet_block under QEMU: its residual Add runs ONNX Runtime's float path (DQ → float Add → Q)`, () => {
  // The skip connection's DQ also feeds a conv, so ORT leaves the Add unfused (src/frontend/onnx/qdq/ort-qdq.ts).
  for (const board of ['mps2-an386', 'mps2-an385']) {
    it(`onnx rounding on ${board} (${board === 'mps2-an386' ? 'FPU' : 'soft float'})`, async () => {
      const report = await validate({ modelPath: buildNetwork('resnet_block', 'qdq', 'int8'), board, inputs: 5, rounding: 'onnx' });
      expect(report.failure).toBeUndefined();
      expect(report.mismatchCount, JSON.stringify(report.mismatches[0])).toBe(0);
      expect(report.passed).toBe(true);
    });
  }
});
