/**
 * The C of QGemm, MatMulInteger, ConvInteger (tg_gemm.c, tg_conv_integer.c) and of the 1-D
 * windows (tg_conv2d.c, tg_maxpool2d.c over [1, L]), compiled for the host with ASan and UBSan,
 * against the reference interpreter on random models, in both rounding modes. Each case is one
 * model holding many random sub-models side by side, so one host build covers them all.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.ts';
import { ROUNDING_MODES } from '../../src/numerics/requantize.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import * as models from './matrix-models.ts';
import type { Into } from './matrix-models.ts';

type Part = (into: Into) => models.RandomModel;

function parts(rng: () => number): Part[] {
  const q8 = ['int8', 'uint8'] as const;
  return [
    ...(['none', 'scalar', 'n', '1xn', 'mx1', 'mxn'] as const).map((bias, i): Part => (into) => models.randomQGemmModel(rng, { bias, transA: i % 2, dtype: q8[i % 2] }, into)),
    (into) => models.randomQGemmModel(rng, { ties: true, bias: 'n', dtype: 'uint8' }, into),
    (into) => models.randomQGemmModel(rng, { ties: true, bias: 'mx1', dtype: 'int8', transB: 1 }, into),
    (into) => models.randomQGemmModel(rng, { floatOutput: true, perColumn: true, bias: '1xn' }, into),
    (into) => models.randomQGemmModel(rng, { floatOutput: true, perColumn: false, transA: 1, alpha: -0.5 }, into),
    (into) => models.randomQdqGemmModel(rng, { bias: 'float', activation: 'relu' }, into),
    (into) => models.randomQdqGemmModel(rng, { bias: 'dq', perColumn: true }, into),
    ...q8.map((dtype): Part => (into) => models.randomMatMulIntegerModel(rng, { dtype }, into)),
    (into) => models.randomMatMulIntegerModel(rng, { perColumn: true }, into),
    ...q8.map((dtype): Part => (into) => models.randomConvIntegerModel(rng, { dtype, perChannelZero: dtype === 'int8' }, into)),
    ...q8.map((dtype): Part => (into) => models.randomConvIntegerModel(rng, { dtype, oneD: true, perChannelZero: dtype === 'uint8' }, into)),
    ...q8.map((dtype): Part => (into) => models.randomConv1dModel(rng, { dtype, chain: true }, into)),
    (into) => models.randomConv1dModel(rng, {}, into),
    ...q8.map((dtype): Part => (into) => models.randomMaxPool1dModel(rng, { dtype }, into)),
  ];
}

describe('matrix ops and 1-D windows: C kernels vs reference (host, sanitizers)', () => {
  for (const [i, rounding] of ROUNDING_MODES.entries()) {
    const model = models.combinedModel(parts(seededRandom(31337 + i)));
    it(`${model.summary.split(' | ').length} random sub-models in one build [${rounding}]`, async () => {
      const diff = await hostDiff(model.path, rounding, 6, i + 1);
      expect(diff.bytes).toBeGreaterThan(1000);
      expect(diff.mismatches, `${JSON.stringify(diff.first)} in ${model.summary}`).toBe(0);
    });
  }
});
