/**
 * The data-movement kernels (tg_concat, tg_axis_map, tg_requant_copy_s8), compiled for the host
 * with ASan and UBSan, against the reference interpreter: random models of many subgraphs each,
 * in both rounding modes.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { seededRandom } from '../../src/util/random.ts';
import { ROUNDING_MODES } from '../../src/numerics/requantize.ts';
import { saveModel } from './models.ts';
import { addConcat, addPad, addResize, addView, pick, PAD_MODES, TRANSFORMS } from './random-models.ts';

describe('data-movement C kernels vs reference (host, sanitizers)', () => {
  const models = [
    {
      name: 'Concat (QLinearConcat, QDQ, plain), Pad (plain, QDQ), Resize nearest (plain, QDQ) and views (plain, QDQ with the same or another quantization)',
      opset: 19,
      build(g: GraphBuilder, rng: () => number) {
        return [
          ...Array.from({ length: 6 }, (_, i) => addConcat(g, rng, pick(rng, ['qoperator', 'qdq', 'plain'] as const), `c${i}`)),
          ...Array.from({ length: 8 }, (_, i) => addPad(g, rng, pick(rng, ['plain', 'qdq'] as const), `p${i}`, PAD_MODES[i % PAD_MODES.length])),
          ...Array.from({ length: 7 }, (_, i) => addResize(g, rng, pick(rng, ['plain', 'qdq'] as const), `r${i}`, TRANSFORMS[i % TRANSFORMS.length])),
          ...Array.from({ length: 6 }, (_, i) => addView(g, rng, pick(rng, ['plain', 'qdq', 'qdq'] as const), `v${i}`)),
        ];
      },
    },
  ];
  for (const [m, model] of models.entries()) {
    for (const rounding of ROUNDING_MODES) {
      it(`${model.name} [${rounding}]`, async () => {
        const rng = seededRandom(300 + m);
        const g = new GraphBuilder();
        const added = model.build(g, rng);
        const diff = await hostDiff(saveModel(g, { opset: model.opset }), rounding, 4, m + 1);
        expect(diff.bytes).toBeGreaterThan(1000);
        expect(diff.mismatches, `${JSON.stringify(diff.first)} in ${added.map((a) => a.summary).join('; ')}`).toBe(0);
      });
    }
  }
});
