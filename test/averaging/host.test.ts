/**
 * The averaging kernels (tg_avgpool2d_s8, tg_global_avgpool_s8, tg_reduce_mean_s8), compiled for
 * the host with ASan and UBSan, against the reference interpreter in both rounding modes. Each
 * model holds many random branches so one build covers many shapes and attributes.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.ts';
import { ROUNDING_MODES } from '../../src/numerics/requantize.ts';
import { compileModel } from '../../src/pipeline.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { Branches, int, pick, randomPool, randomQuant, randomReduce, reduceMeanBranch, save, tieProne, type Rng } from './models.ts';

function mixedModel(rng: Rng): { path: string; ops: string[] } {
  const dtype = pick(rng, ['int8', 'uint8'] as const);
  const b = new Branches(dtype);
  let inputs = 0;
  const input = (shape: number[]) => b.input(`x${inputs++}`, shape);
  for (let i = 0; i < 8; i++) {
    const spec = randomPool(rng, true);
    const x = input(spec.shape);
    if (spec.channelsLast || rng() < 0.5) b.qoperator('QLinearAveragePool', x, tieProne(rng, dtype), spec.attrs);
    else b.qdq('AveragePool', x, tieProne(rng, dtype), spec.attrs);
  }
  for (let i = 0; i < 3; i++) {
    const channelsLast = rng() < 0.3;
    const [n, c, h, w] = [int(rng, 1, 2), int(rng, 1, 9), int(rng, 1, 8), int(rng, 1, 8)];
    const x = input(channelsLast ? [n, h, w, c] : [n, c, h, w]);
    if (channelsLast || rng() < 0.5) b.qoperator('QLinearGlobalAveragePool', x, randomQuant(rng, dtype), channelsLast ? { channels_last: 1 } : {});
    else b.qdq('GlobalAveragePool', x, randomQuant(rng, dtype), {});
  }
  // ReduceMean over H and W of NCHW (the NHWC path), wide, then over random axes.
  const hw = input([int(rng, 1, 2), int(rng, 16, 48), int(rng, 2, 9), int(rng, 2, 9)]);
  reduceMeanBranch(b, hw, tieProne(rng, dtype), { shape: [], axes: [2, 3], keepdims: int(rng, 0, 1), noop: 0, summary: '' }, 18);
  // ONNX Runtime's middle (KRK) and outer (RKR) reductions, wide enough for their own orders.
  const krk = [int(rng, 2, 4), int(rng, 5, 40), int(rng, 4, 24)];
  reduceMeanBranch(b, input(krk), tieProne(rng, dtype), { shape: krk, axes: [1], keepdims: int(rng, 0, 1), noop: 0, summary: '' }, 18);
  const rkr = [int(rng, 2, 5), int(rng, 2, 12), int(rng, 5, 30)];
  reduceMeanBranch(b, input(rkr), tieProne(rng, dtype), { shape: rkr, axes: [0, 2], keepdims: int(rng, 0, 1), noop: 0, summary: '' }, 18);
  for (let i = 0; i < 6; i++) {
    const spec = randomReduce(rng);
    reduceMeanBranch(b, input(spec.shape), tieProne(rng, dtype), spec, 18);
  }
  return { path: save(b.g, 18), ops: ['QLinearAveragePool', 'QLinearGlobalAveragePool', 'QLinearReduceMean'] };
}

describe('averaging kernels vs reference (host, sanitizers)', () => {
  const rng = seededRandom(7717);
  for (let i = 0; i < 4; i++) {
    const model = mixedModel(rng);
    const rounding = ROUNDING_MODES[i % 2]!;
    it(`19 random pools and means, model ${i} [${rounding}]`, async () => {
      const ops = new Set(compileModel({ modelPath: model.path, rounding }).graph.nodes.map((n) => n.op));
      for (const op of model.ops) expect(ops).toContain(op);
      const diff = await hostDiff(model.path, rounding, 16, i + 1);
      expect(diff.bytes).toBeGreaterThan(0);
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    });
  }
});
