/**
 * Each C kernel, compiled for the host with ASan and UBSan, against the reference interpreter,
 * on random shapes, attributes and data, in both rounding modes.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.ts';
import { ROUNDING_MODES } from '../../src/numerics/requantize.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { randomConvModel, randomDepthwiseModel, randomMatMulModel, randomMaxPoolModel, randomPointwiseModel } from './random-models.ts';

const CASES = 6;
const makers = { QLinearConv: randomConvModel, 'QLinearConv 1x1': randomPointwiseModel, 'QLinearConv dense': (rng: () => number) => randomConvModel(rng, rng() < 0.5, true), 'QLinearConv depthwise': randomDepthwiseModel, MaxPool: randomMaxPoolModel, QLinearMatMul: randomMatMulModel };

for (const [op, make] of Object.entries(makers)) {
  describe(`${op} C kernel vs reference (host, sanitizers)`, () => {
    const rng = seededRandom(op.length * 7919);
    for (let i = 0; i < CASES; i++) {
      const model = make(rng);
      const rounding = ROUNDING_MODES[i % 2]!;
      it(`${model.summary} [${rounding}]`, async () => {
        const diff = await hostDiff(model.path, rounding, 6, i + 1);
        expect(diff.bytes).toBeGreaterThan(0);
        expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
      });
    }
  });
}
