/** tiny_cnn is bit-exact on every QEMU board, in both rounding modes. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBoards } from '../../src/boards/board.ts';
import { validate } from '../../src/validate/validate.ts';
import { ROUNDING_MODES } from '../../src/numerics/requantize.ts';
import { MODELS } from '../helpers/paths.ts';

describe.concurrent('tiny_cnn_qop on every QEMU board', () => {
  for (const board of listBoards().filter((b) => b.qemu)) {
    it(`${board.id}: bit-exact in ${ROUNDING_MODES.join(' and ')} rounding`, async () => {
      const reports = [];
      for (const rounding of ROUNDING_MODES) {
        reports.push(await validate({ modelPath: join(MODELS, 'tiny_cnn_qop.onnx'), board: board.id, inputs: 5, rounding }));
      }
      for (const report of reports) {
        expect(report.failure).toBeUndefined();
        expect(report.inputs).toBe(5);
        expect(report.bytesCompared).toBe(5 * 6);
        expect(report.mismatchCount).toBe(0);
        expect(report.passed).toBe(true);
      }
    });
  }
});
