/**
 * The float32 Conv, Gemm and MatMul semantics against ONNX Runtime on random models (shapes,
 * group, pads, auto_pad, dilations, transposes, alpha/beta, C and batch broadcasting, 1-D
 * operands). ONNX Runtime sums in its own order (blocked, with fused multiply-adds), so values
 * agree to float32 rounding, not bit for bit: every element within 2e-4 + 1e-5 * |ort| (the
 * sums here run over at most 81 products of magnitude below 16; the largest difference seen is
 * 3e-5), and the shapes exactly. The log says how many elements are bit-identical.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { runOrt } from '../helpers/ort.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { addConv, addGemm, addMatMul, type Added, type Rng } from './models.ts';

const MODELS: { name: string; build(g: GraphBuilder, rng: Rng): Added[] }[] = [
  {
    name: 'Conv 1-D',
    build: (g, rng) => Array.from({ length: 24 }, (_, i) => addConv(g, rng, `c${i}`, 1, i % 6 === 5)),
  },
  {
    name: 'Conv 2-D',
    build: (g, rng) => Array.from({ length: 30 }, (_, i) => addConv(g, rng, `c${i}`, 2, i % 6 === 5)),
  },
  {
    name: 'Conv 3-D',
    build: (g, rng) => Array.from({ length: 16 }, (_, i) => addConv(g, rng, `c${i}`, 3, i % 6 === 5)),
  },
  {
    name: 'Gemm',
    build: (g, rng) => Array.from({ length: 40 }, (_, i) => addGemm(g, rng, `g${i}`, i % 4 === 3)),
  },
  {
    name: 'MatMul',
    build: (g, rng) => Array.from({ length: 40 }, (_, i) => addMatMul(g, rng, `m${i}`, i % 4 === 3)),
  },
];

describe('float32 Conv, Gemm and MatMul: reference vs ONNX Runtime', () => {
  for (const [index, model] of MODELS.entries()) {
    it(`${model.name}: random nodes within float32 rounding of ONNX Runtime`, async () => {
      const g = new GraphBuilder();
      const added = model.build(g, seededRandom(900 + index));
      const path = g.save();
      const compiled = compileModel({ modelPath: path, rounding: 'onnx', allowFloat: true });
      const random = seededRandom(50 + index);
      let elements = 0;
      let maxDiff = 0;
      let identical = 0;
      for (let run = 0; run < 3; run++) {
        const values = randomInputs(compiled.graph, random);
        const ours = runReference(compiled.graph, values).outputs;
        const theirs = await runOrt(path, compiled.graph.inputs, values);
        ours.forEach((out, o) => {
          const what = `run ${run}, ${added[o]!.summary}`;
          expect(out.shape, what).toEqual(theirs[o]!.shape);
          const a = out.data as Float32Array;
          const b = theirs[o]!.data as Float32Array;
          for (let i = 0; i < a.length; i++) {
            const diff = Math.abs(a[i]! - b[i]!);
            maxDiff = Math.max(maxDiff, diff);
            elements++;
            if (Object.is(a[i], b[i])) identical++;
            if (!(diff <= 2e-4 + 1e-5 * Math.abs(b[i]!))) expect.fail(`${what}: element ${i} is ${a[i]}, ONNX Runtime ${b[i]}`);
          }
        });
      }
      console.log(`${model.name}: ${elements} elements, ${identical} bit-identical, largest difference from ONNX Runtime ${maxDiff}`);
      expect(elements).toBeGreaterThan(1000);
    });
  }
});
