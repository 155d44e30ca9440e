/**
 * The float32 Conv, Gemm and MatMul kernels (tg_float_conv.c, tg_float_gemm.c), compiled for the
 * host with ASan and UBSan, against the reference interpreter, bit for bit: random models of
 * many nodes each, with constant and runtime weights.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { seededRandom } from '../../src/util/random.ts';
import { addConv, addGemm, addMatMul, floatHostDiff, type Added, type Rng } from './models.ts';

const MODELS: { name: string; build(g: GraphBuilder, rng: Rng): Added[] }[] = [
  {
    name: 'Conv 1-D, 2-D and 3-D: group, bias, pads, strides, dilations, auto_pad; constant and runtime weights',
    build: (g, rng) => [
      ...Array.from({ length: 6 }, (_, i) => addConv(g, rng, `c1d${i}`, 1, i === 5, true)),
      ...Array.from({ length: 8 }, (_, i) => addConv(g, rng, `c2d${i}`, 2, i >= 6, true)),
      ...Array.from({ length: 5 }, (_, i) => addConv(g, rng, `c3d${i}`, 3, i === 4, true)),
    ],
  },
  {
    name: 'Gemm (transA, transB, alpha, beta, every C shape) and MatMul (ranks 1-4, broadcast batches); constant and runtime B',
    build: (g, rng) => [
      ...Array.from({ length: 10 }, (_, i) => addGemm(g, rng, `g${i}`, i >= 7)),
      ...Array.from({ length: 12 }, (_, i) => addMatMul(g, rng, `m${i}`, i >= 9)),
    ],
  },
];

describe('float32 Conv, Gemm and MatMul: C vs reference (host, sanitizers)', () => {
  for (const [index, model] of MODELS.entries()) {
    it(model.name, async () => {
      const g = new GraphBuilder();
      const added = model.build(g, seededRandom(700 + index));
      const diff = await floatHostDiff(g.save(), 4, index + 1);
      expect(diff.bytes).toBeGreaterThan(3000);
      expect(diff.mismatches, `${JSON.stringify(diff.first)} in ${added.map((a) => a.summary).join('; ')}`).toBe(0);
    }, 30_000);
  }
});
