/**
 * TFLite LEAKY_RELU and HARD_SWISH as files: hand-derived bytes of TFLM's int8 kernels through the
 * importer, the reference interpreter and the host C; TFLM's rejection of a too-fine HARD_SWISH
 * output as one line (a LEAKY_RELU → HARD_SWISH model under QEMU: op-chains-qemu.test.ts). The arithmetic is
 * derived step by step in test/tflite-ops/activations.test.ts.
 */
import { describeHandDerivedCases } from '../helpers/tflite-hand-cases.ts';
import { describe, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOneLineError } from '../helpers/one-line-error.ts';
import { buildTflite, leakyReluOptions, type ModelSpec, type OperatorSpec } from '../helpers/tflite-builder.ts';
import { BuiltinOperator, TensorType } from '../../src/frontend/tflite/schema.ts';

const { INT8 } = TensorType;
const { LEAKY_RELU, HARD_SWISH } = BuiltinOperator;

interface Quant {
  scale: number;
  zeroPoint: number;
}

/** x (tensor 0) → the operators in turn → the last tensor, every tensor int8 [1, 2, 2, 2] unless `shape` says. */
function chain(quants: Quant[], operators: Omit<OperatorSpec, 'inputs' | 'outputs'>[], shape = [1, 2, 2, 2]): ModelSpec {
  return {
    tensors: quants.map((q, i) => ({ name: `t${i}`, type: INT8, shape, scale: [q.scale], zeroPoint: [q.zeroPoint] })),
    operators: operators.map((op, i) => ({ ...op, inputs: [i], outputs: [i + 1] })),
    inputs: [0],
    outputs: [quants.length - 1],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-activations-'));

const cases = [
  {
    // s_x = 1, s_y = 4, alpha 0.5 (multipliers 1/4 and 1/8, both 2^30 in Q31): 1 → 0.25, the high-mul
    // tie gives 1, then 0.5 → 1; 6 → 1.5 → 2; −4 → −0.5 → −1; −3 → −0.375 → 0; −20 → −2.5 → −3;
    // 127 → 31.75 → 32; −128 → −16 exactly.
    name: 'LEAKY_RELU',
    spec: chain([{ scale: 1, zeroPoint: 0 }, { scale: 4, zeroPoint: 0 }], [{ code: LEAKY_RELU, options: leakyReluOptions(0.5) }]),
    input: [1, 6, -4, -3, -20, 127, 0, -128],
    expected: [1, 2, -1, 0, -3, 32, 0, -16],
  },
  {
    // s_x = s_y = 1/32: 32 (real 1) → 21 (21.33); 96 (real 3) → 96; −40 (−1.25) → −12 (−11.67);
    // at or below −3 → 0; 127 → 127. 64 (real 2): hires 8192, preshift 4096; reluish 16384 →
    // SRDHM16(16384, 21845) = 10923, << 1 = 21846 → (21846 + 32768) >> 1 = 27307;
    // SDHM16(27307, 4096) = 3413.4 → 3413; RDBPOT(3413, 6) = 53.3 → 53 (real 2 · 5/6 · 32 = 53.33).
    name: 'HARD_SWISH',
    spec: chain([{ scale: 1 / 32, zeroPoint: 0 }, { scale: 1 / 32, zeroPoint: 0 }], [{ code: HARD_SWISH }]),
    input: [32, 96, -40, -128, -96, 0, 127, 64],
    expected: [21, 96, -12, 0, 0, 0, 127, 53],
  },
];

describeHandDerivedCases(cases, dir);

describe('TFLite activations TFLM rejects', () => {
  it('HARD_SWISH with an output scale at most the input scale / 128: one line', async () => {
    const model = buildTflite(chain([{ scale: 1, zeroPoint: 0 }, { scale: 1 / 256, zeroPoint: 0 }], [{ code: HARD_SWISH }]));
    await expectOneLineError(dir, 'fine_hard_swish.tflite', model, /HARD_SWISH.*the output scale is at most the input scale \/ 128, which TFLM's int8 HARD_SWISH rejects/);
  });
});
