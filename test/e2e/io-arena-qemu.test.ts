/**
 * Inputs and outputs in the arena (--io arena) on the boards: the harness writes each input
 * through <name>_input(i), runs, and reads each output through <name>_output(i); every output
 * byte must equal the reference, on the M4F and the M55, in both rounding modes, for networks
 * whose input dies early (its bytes then hold later layers' activations).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/validate/validate.ts';
import { bench } from '../../src/bench/bench.ts';
import { MODELS } from '../helpers/paths.ts';
import { twoInTwoOut } from '../networks/two-in-two-out.ts';
import { writeTfliteTestNetwork } from '../helpers/tflite-networks.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-io-arena-'));
const models: [string, string, readonly ('onnx' | 'tflite')[]][] = [
  ['tiny_cnn_qop', join(MODELS, 'tiny_cnn_qop.onnx'), ['onnx', 'tflite']],
  ['tiny_cnn_u8_qdq', join(MODELS, 'tiny_cnn_u8_qdq.onnx'), ['onnx']],
  ['two in, two out', twoInTwoOut(), ['onnx', 'tflite']],
  ['kws_dscnn (TFLite)', writeTfliteTestNetwork('kws_dscnn', dir), ['tflite']],
  ['resnet8 (TFLite)', writeTfliteTestNetwork('resnet8', dir), ['tflite']],
];

describe.concurrent('--io arena under QEMU', () => {
  for (const [label, path, roundings] of models) {
    for (const board of ['mps2-an386', 'mps3-an547']) {
      for (const rounding of roundings) {
        it(`${label} on ${board}, ${rounding} rounding: bit-exact`, async () => {
          const report = await validate({ modelPath: path, board, inputs: 3, seed: 5, rounding, io: 'arena' });
          expect(report.failure).toBeUndefined();
          expect(report.mismatchCount, JSON.stringify(report.mismatches.slice(0, 3))).toBe(0);
        });
      }
    }
  }

  it('bench measures a model with its inputs in the arena, and its RAM is lower', async () => {
    const path = join(MODELS, 'tiny_cnn_qop.onnx');
    const [caller, arena] = await Promise.all([bench({ modelPath: path, board: 'mps2-an386' }), bench({ modelPath: path, board: 'mps2-an386', io: 'arena' })]);
    expect(arena.bitExact).toBe(true);
    expect(arena.report.modelRamBytes).toBeLessThan(caller.report.modelRamBytes);
  });
});
