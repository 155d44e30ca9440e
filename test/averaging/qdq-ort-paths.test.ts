/**
 * The QDQ averaging patterns where ONNX Runtime (1.30, x86-64) does not run its int8 QLinear
 * kernel: after its int8 → uint8 rewrite of one-to-one Q → DQ pairs it runs QLinearAveragePool in
 * uint8 (the zero point it adds in float is 128 more), or, when only one side was rewritten (or a
 * Relu/Clip is not implied by the Q), DequantizeLinear → float AveragePool/GlobalAveragePool → Q.
 * onnx mode must match ORT byte for byte there too, and the C must match the reference.
 *
 * Independent sources: ORT's outputs, and ORT's own optimized model (written by the session),
 * which shows which kernel it chose; tinygen's prediction of that choice is checked against it.
 */
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.ts';
import { compileModel } from '../../src/pipeline.ts';
import { qlinearAveragePool } from '../../src/ops/qlinear-average-pool/index.ts';
import { ROUNDING_MODES } from '../../src/numerics/requantize.ts';
import { oracleDiff } from '../helpers/oracle.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { NetworkBuilder } from '../helpers/networks.ts';
import { buildPath, buildPaths, ortOptimizedPath, randomPath, SINKS, SOURCES, type Center, type PathSpec } from './ort-paths.ts';
import type { Rng } from './models.ts';

// ORT warns about its own ceil_mode shape inference; the outputs are what is compared.
ort.env.logLevel = 'error';

const totals = { models: 0, elements: 0 };
const tflite = new Map<string, { elements: number; offByOne: number }>();
afterAll(() => {
  console.log(`QDQ averaging in ORT's other paths, onnx mode vs ONNX Runtime: ${totals.models} models, ${totals.elements} values, all identical`);
  for (const [label, t] of tflite) {
    console.log(`${label}, tflite mode vs ONNX Runtime: ${t.offByOne} of ${t.elements} values differ (${((100 * t.offByOne) / t.elements).toFixed(2)}%)`);
  }
});

/** tinygen's reading of ORT's choice, from the compiled node. */
function predictedPath(path: string, center: Center): string {
  const node = compileModel({ modelPath: path }).graph.nodes.find((n) => n.op === `QLinear${center}`);
  expect(node, `no QLinear${center} in ${path}`).toBeDefined();
  if (center === 'ReduceMean' || node!.attrs.ort_float === 1) return 'float';
  // QLinearGlobalAveragePool's result does not depend on the type ORT computes in.
  if (center === 'GlobalAveragePool') return 'qlinear';
  return node!.attrs.uint8_output === 1 ? 'qlinear-uint8' : 'qlinear-int8';
}

async function ortPath(path: string, center: Center): Promise<string> {
  const actual = await ortOptimizedPath(path, center);
  return center === 'GlobalAveragePool' && actual !== 'float' ? 'qlinear' : actual;
}

async function expectIdentical(path: string, summary: string, inputs = 4, seed = 1): Promise<void> {
  const d = await oracleDiff(path, 'onnx', inputs, seed);
  expect(d.elements, summary).toBeGreaterThan(0);
  expect(d.mismatches, `${summary}: ${JSON.stringify(d.first)}`).toBe(0);
  totals.models++;
  totals.elements += d.elements;
}

describe('QDQ AveragePool where ORT runs it in uint8 or in float', () => {
  // The reported case: float input → Q → DQ → [1x1 Conv →] AveragePool(4, stride 4) → Q → DQ, equal
  // quantization before and after the pool. Both pairs are one-to-one, so ORT runs its
  // QLinearAveragePool in uint8; with scale 0.0123 (or after a conv) adding the uint8 zero point in
  // float rounds differently from the int8 one.
  for (const zp of [-128, 0, 5])
    for (const scale of [1 / 32, 0.0123])
      for (const viaConv of [false, true]) {
        it(`reported case: zp ${zp}, scale ${scale}${viaConv ? ', after a 1x1 conv' : ''}`, async () => {
          const b = new NetworkBuilder('qdq', 7);
          let x = b.input([1, 8, 16, 16], { scale: Math.fround(scale), zp });
          if (viaConv) x = b.conv(x, 8, 1, { relu: false });
          const path = b.finish(b.averagePool(x, 4), 'pool.onnx');
          expect(predictedPath(path, 'AveragePool')).toBe(await ortPath(path, 'AveragePool'));
          await expectIdentical(path, `zp ${zp} scale ${scale} conv ${viaConv}`, 10);
        });
      }

  it('GlobalAveragePool in the same position (after a conv, equal quantization)', async () => {
    for (const zp of [-128, 0, 5])
      for (const scale of [1 / 32, 0.0123]) {
        const b = new NetworkBuilder('qdq', 11);
        const x = b.conv(b.input([1, 8, 16, 16], { scale: Math.fround(scale), zp }), 8, 1, { relu: false });
        const path = b.finish(b.globalAveragePool(x), 'gap.onnx');
        expect(predictedPath(path, 'GlobalAveragePool')).toBe(await ortPath(path, 'GlobalAveragePool'));
        await expectIdentical(path, `GlobalAveragePool zp ${zp} scale ${scale}`, 10);
      }
  });

  it('ReduceMean over H, W in the same position (after a conv, equal quantization)', async () => {
    const rng = seededRandom(31);
    for (let i = 0; i < 6; i++) {
      const spec = randomPath(rng, 'ReduceMean', { source: 'conv', sink: 'dq-output', activation: 'none' });
      spec.y = { ...spec.x };
      await expectIdentical(buildPath(spec, rng), spec.summary, 6, i + 1);
    }
  });

  // Every graph position: where the pattern's input comes from × where its output goes.
  for (const center of ['AveragePool', 'GlobalAveragePool'] as const) {
    it(`${center}: ORT's kernel choice is predicted, and matched, for every source and sink`, async () => {
      const rng = seededRandom(center.length * 977);
      const seen = new Set<string>();
      for (const source of SOURCES)
        for (const sink of SINKS)
          for (const activation of ['none', 'relu'] as const) {
            const spec = randomPath(rng, center, { source, sink, activation, opset: 13 });
            const path = buildPath(spec, rng);
            const actual = await ortPath(path, center);
            seen.add(actual);
            expect(predictedPath(path, center), spec.summary).toBe(actual);
            await expectIdentical(path, spec.summary);
          }
      // The matrix reaches each of ORT's kernels.
      expect([...seen].sort()).toEqual(center === 'AveragePool' ? ['float', 'qlinear-int8', 'qlinear-uint8'] : ['float', 'qlinear']);
    });
  }

  const sweep = (center: Center, count: number, seed: number, fixed: Partial<PathSpec> = {}) =>
    it(`${center}: ${count} random models (kernels 2..5, strides, pads, ceil_mode, scales, zero points, with and without a producing conv)`, async () => {
      const rng = seededRandom(seed);
      for (let i = 0; i < count; i++) {
        const spec = randomPath(rng, center, fixed);
        const path = buildPath(spec, rng);
        expect(predictedPath(path, center), spec.summary).toBe(await ortPath(path, center));
        await expectIdentical(path, spec.summary, 3, i + 1);
        // tflite mode: within 1 LSB of ORT for the op itself; behind a conv (which may differ by
        // 1 of its own LSB, x.scale) the mean may move by up to x.scale / y.scale more.
        const t = await oracleDiff(path, 'tflite', 3, i + 1);
        const lsb = spec.sink === 'int8-output' ? 1 : spec.y.scale;
        const bound = 1 + (spec.source === 'conv' ? spec.x.scale / spec.y.scale : 0);
        expect(t.maxDiff / lsb, `${spec.summary}: ${JSON.stringify(t.first)}`).toBeLessThanOrEqual(Math.floor(bound + 1e-3) + 1e-3);
        const label = `${center} (QDQ, ORT's uint8/float paths)`;
        const stats = tflite.get(label) ?? { elements: 0, offByOne: 0 };
        stats.elements += t.elements;
        stats.offByOne += t.mismatches;
        tflite.set(label, stats);
      }
    });
  sweep('AveragePool', 120, 9001);
  // The float path's sum orders: NCHWc (16 or 32 channels), MLAS's column-first and global kernels, the opset-19 kernel.
  sweep('AveragePool', 60, 9002, { source: 'int8-input', sink: 'dq-output' });
  sweep('AveragePool', 40, 9003, { source: 'conv', sink: 'dq-output' });
  sweep('GlobalAveragePool', 50, 9004);
  sweep('ReduceMean', 30, 9005);
});

describe('QDQ averaging in ORT paths: C kernels vs reference (host, sanitizers)', () => {
  /** Many patterns side by side, each in a random graph position (one opset per model). */
  function mixed(rng: Rng, opset: number): PathSpec[] {
    const centers: Center[] = ['AveragePool', 'AveragePool', 'AveragePool', 'GlobalAveragePool'];
    return Array.from({ length: 16 }, (_, i) => randomPath(rng, centers[i % centers.length]!, { opset }));
  }
  const rng = seededRandom(4242);
  const models = [
    { specs: mixed(rng, 13), rounding: 'onnx' as const },
    { specs: mixed(rng, 19), rounding: 'onnx' as const },
    { specs: mixed(rng, 13), rounding: ROUNDING_MODES[1]! },
  ];
  models.forEach(({ specs, rounding }, i) => {
    it(`16 patterns in ORT's uint8, int8 and float paths, model ${i} [${rounding}]`, async () => {
      const path = buildPaths(specs, rng);
      const nodes = compileModel({ modelPath: path, rounding }).graph.nodes;
      if (i === 0) {
        // This model runs the float path with each sum order, and ORT's uint8 QLinearAveragePool.
        const pools = nodes.filter((n) => n.op === 'QLinearAveragePool');
        const orders = new Set(pools.map((n) => qlinearAveragePool.paramsOf(n).floatSum));
        expect([...orders].sort()).toEqual(['columns', 'lanes4', 'none', 'rows']);
        expect(pools.some((n) => n.attrs.uint8_output === 1)).toBe(true);
        expect(nodes.some((n) => n.op === 'QLinearGlobalAveragePool' && n.attrs.ort_float === 1)).toBe(true);
      }
      const diff = await hostDiff(path, rounding, 8, i + 1);
      expect(diff.bytes).toBeGreaterThan(0);
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    });
  });
});
