/**
 * The averaging ops against ONNX Runtime on random models, shapes, attributes and data: the
 * QOperator forms (com.microsoft QLinearAveragePool, QLinearGlobalAveragePool) and the QDQ forms
 * (DequantizeLinear → AveragePool | GlobalAveragePool | ReduceMean → QuantizeLinear). onnx mode is
 * byte-identical; tflite mode stays within 1 LSB, and its off-by-one rate is printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.ts';
import { compileModel } from '../../src/pipeline.ts';
import { oracleDiff } from '../helpers/oracle.ts';
import { Branches, int, pick, randomPool, randomQuant, randomReduce, reduceMeanBranch, save, tieProne, type Q8, type Rng } from './models.ts';

interface Made {
  path: string;
  summary: string;
  op: string;
}

function poolModel(rng: Rng, form: 'qoperator' | 'qdq'): Made {
  const dtype = pick(rng, ['int8', 'uint8'] as const);
  const spec = randomPool(rng, form === 'qoperator');
  const b = new Branches(dtype);
  const x = b.input('x', spec.shape);
  const q = rng() < 0.5 ? tieProne(rng, dtype) : randomQuant(rng, dtype);
  if (form === 'qoperator') b.qoperator('QLinearAveragePool', x, q, spec.attrs);
  else b.qdq('AveragePool', x, q, spec.attrs);
  return { path: save(b.g), summary: `${form} ${dtype} ${spec.summary} ${JSON.stringify(q)}`, op: 'QLinearAveragePool' };
}

function globalModel(rng: Rng, form: 'qoperator' | 'qdq'): Made {
  const dtype = pick(rng, ['int8', 'uint8'] as const);
  const rank = pick(rng, [3, 4, 4, 4, 5]);
  const channelsLast = form === 'qoperator' && rng() < 0.3;
  const spatial = Array.from({ length: rank - 2 }, () => int(rng, 1, rank === 5 ? 4 : 9));
  const [n, c] = [int(rng, 1, 2), int(rng, 1, 12)];
  const shape = channelsLast ? [n, ...spatial, c] : [n, c, ...spatial];
  const b = new Branches(dtype);
  const x = b.input('x', shape);
  const q = randomQuant(rng, dtype);
  if (form === 'qoperator') b.qoperator('QLinearGlobalAveragePool', x, q, channelsLast ? { channels_last: 1 } : {});
  else b.qdq('GlobalAveragePool', x, q, {});
  return { path: save(b.g), summary: `${form} ${dtype} [${shape}]${channelsLast ? ' cl' : ''}`, op: 'QLinearGlobalAveragePool' };
}

/** ReduceMean over H and W of NCHW: global pooling written as ReduceMean, run on NHWC. */
function reduceHwModel(rng: Rng): Made {
  const dtype: Q8 = pick(rng, ['int8', 'uint8'] as const);
  const shape = [int(rng, 1, 2), int(rng, 1, 16), int(rng, 1, 14), int(rng, 1, 14)];
  const opset = pick(rng, [13, 18]);
  const b = new Branches(dtype);
  const x = b.input('x', shape);
  const keepdims = int(rng, 0, 1);
  reduceMeanBranch(b, x, tieProne(rng, dtype), { shape, axes: rng() < 0.5 ? [2, 3] : [-2, -1], keepdims, noop: 0, summary: '' }, opset);
  return { path: save(b.g, opset), summary: `qdq ${dtype} opset${opset} [${shape}] axes H,W keep${keepdims}`, op: 'QLinearReduceMean' };
}

function reduceModel(rng: Rng): Made {
  const dtype: Q8 = pick(rng, ['int8', 'uint8'] as const);
  const spec = randomReduce(rng);
  const opset = pick(rng, [13, 18]);
  const b = new Branches(dtype);
  const x = b.input('x', spec.shape);
  reduceMeanBranch(b, x, tieProne(rng, dtype), spec, opset);
  return { path: save(b.g, opset), summary: `qdq ${dtype} opset${opset} ${spec.summary}`, op: 'QLinearReduceMean' };
}

/** ONNX Runtime's middle (KRK) and outer (RKR) reduction paths, wide enough for their own orders. */
function reduceMiddleModel(rng: Rng): Made {
  const dtype: Q8 = pick(rng, ['int8', 'uint8'] as const);
  const krk = rng() < 0.5;
  const shape = krk ? [int(rng, 2, 4), int(rng, 5, 40), int(rng, 4, 24)] : [int(rng, 2, 5), int(rng, 2, 12), int(rng, 5, 30)];
  const axes = krk ? [1] : [0, 2];
  const b = new Branches(dtype);
  const x = b.input('x', shape);
  reduceMeanBranch(b, x, tieProne(rng, dtype), { shape, axes, keepdims: 1, noop: 0, summary: '' }, 13);
  return { path: save(b.g), summary: `qdq ${dtype} [${shape}] axes [${axes}]`, op: 'QLinearReduceMean' };
}

/** TINYGEN_AVERAGING_CASES=20 multiplies the number of random models (for a longer run). */
const SCALE = Math.max(1, Number(process.env.TINYGEN_AVERAGING_CASES ?? 1));
const onnxTotal = { models: 0, elements: 0 };
const tflite = new Map<string, { elements: number; offByOne: number }>();
afterAll(() => {
  console.log(`averaging ops, onnx mode vs ONNX Runtime: ${onnxTotal.models} models, ${onnxTotal.elements} bytes, all identical`);
  for (const [label, t] of tflite) {
    console.log(`${label}, tflite mode vs ONNX Runtime: ${t.offByOne} of ${t.elements} bytes differ by 1 (${((100 * t.offByOne) / Math.max(1, t.elements)).toFixed(2)}%)`);
  }
});

const CASES: [string, (rng: Rng) => Made, number][] = [
  ['QLinearAveragePool (com.microsoft)', (rng) => poolModel(rng, 'qoperator'), 30],
  ['AveragePool (QDQ)', (rng) => poolModel(rng, 'qdq'), 30],
  ['QLinearGlobalAveragePool (com.microsoft)', (rng) => globalModel(rng, 'qoperator'), 15],
  ['GlobalAveragePool (QDQ)', (rng) => globalModel(rng, 'qdq'), 15],
  ['ReduceMean over H, W (QDQ, NHWC)', reduceHwModel, 15],
  ['ReduceMean (QDQ)', reduceModel, 40],
  ['ReduceMean over middle or outer axes (QDQ)', reduceMiddleModel, 15],
];

describe('averaging ops vs ONNX Runtime', () => {
  CASES.forEach(([label, make, count], c) => {
    it(`${label}: ${count * SCALE} random models, onnx mode byte-identical, tflite within 1`, async () => {
      const rng = seededRandom(4099 * (c + 1));
      for (let i = 0; i < count * SCALE; i++) {
        const m = make(rng);
        const compiled = compileModel({ modelPath: m.path });
        expect(compiled.graph.nodes.map((n) => n.op), m.summary).toContain(m.op);
        const onnx = await oracleDiff(m.path, 'onnx', 4, i + 1);
        expect(onnx.elements, m.summary).toBeGreaterThan(0);
        expect(onnx.mismatches, `${m.summary}: ${JSON.stringify(onnx.first)}`).toBe(0);
        onnxTotal.models++;
        onnxTotal.elements += onnx.elements;
        const t = await oracleDiff(m.path, 'tflite', 4, i + 1);
        expect(t.maxDiff, `${m.summary}: ${JSON.stringify(t.first)}`).toBeLessThanOrEqual(1);
        const stats = tflite.get(label) ?? { elements: 0, offByOne: 0 };
        stats.elements += t.elements;
        stats.offByOne += t.mismatches;
        tflite.set(label, stats);
      }
    });
  });
});
