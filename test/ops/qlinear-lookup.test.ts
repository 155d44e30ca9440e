/**
 * QLinearLookup: the float32 functions against ONNX Runtime's float kernels, the 256-entry tables
 * against ONNX Runtime for every input value under random scales and zero points (QOperator and
 * QDQ forms), tflite mode's distance from ONNX Runtime, and the C kernel against the reference.
 */
import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { GraphBuilder, type ElemType } from '../helpers/onnx-builder.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { qlinearLookup } from '../../src/ops/qlinear-lookup/index.ts';
import { UserError } from '../../src/errors.ts';
import { seededRandom } from '../../src/util/random.ts';
import { onnxFunction, type LookupFunction, type LookupParams } from '../../src/ops/qlinear-lookup/functions.ts';
import { allValues, compareWithOrt, emptyComparison, saveWithOpset, type Comparison } from './lookup-helpers.ts';

const f32 = Math.fround;
type Dtype = 'int8' | 'uint8';

/** One float op over a vector, run by ONNX Runtime. */
async function ortFloat(op: string, attrs: Record<string, { float: number }>, xs: Float32Array): Promise<Float32Array> {
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', [xs.length]);
  g.output(g.rename(g.node(op, [x], attrs)[0]!, 'y'), 'float32', [xs.length]);
  const session = await ort.InferenceSession.create(saveWithOpset(g, 14), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', xs, [xs.length]) });
    return out.y!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('QLinearLookup float functions equal ONNX Runtime float kernels bit for bit', () => {
  const random = seededRandom(2024);
  const n = 1 << 17;
  // Wide random values, values near zero, and a 1/64 grid (the kind of values dequantization makes).
  const xs = Float32Array.from({ length: n }, (_, i) => {
    const r = random() * 2 - 1;
    return i % 3 === 0 ? r * 24 : i % 3 === 1 ? r * 2 : Math.round(r * 24 * 64) / 64;
  });
  const cases: { op: string; fn: LookupFunction; params: LookupParams; attrs: Record<string, { float: number }> }[] = [
    { op: 'Sigmoid', fn: 'sigmoid', params: {}, attrs: {} },
    { op: 'Tanh', fn: 'tanh', params: {}, attrs: {} },
    { op: 'HardSigmoid', fn: 'hard_sigmoid', params: { alpha: f32(0.2), beta: f32(0.5) }, attrs: { alpha: { float: 0.2 }, beta: { float: 0.5 } } },
    { op: 'HardSigmoid', fn: 'hard_sigmoid', params: { alpha: f32(0.123), beta: f32(-0.37) }, attrs: { alpha: { float: 0.123 }, beta: { float: -0.37 } } },
    { op: 'HardSwish', fn: 'hard_swish', params: {}, attrs: {} },
    { op: 'LeakyRelu', fn: 'leaky_relu', params: { alpha: f32(0.1) }, attrs: { alpha: { float: 0.1 } } },
  ];
  for (const c of cases) {
    it(`${c.op} ${JSON.stringify(c.params)} on ${n} inputs`, async () => {
      const theirs = await ortFloat(c.op, c.attrs, xs);
      const fn = onnxFunction(c.fn, c.params);
      let mismatches = 0;
      let first = '';
      for (let i = 0; i < n; i++) {
        const ours = fn(xs[i]!);
        if (ours !== theirs[i]) {
          mismatches++;
          first ||= `x=${xs[i]}: tinygen ${ours}, ONNX Runtime ${theirs[i]}`;
        }
      }
      expect(mismatches, first).toBe(0);
    });
  }
});

interface LookupCase {
  fn: LookupFunction;
  /** Builds the op on a float (QDQ) or quantized (QOperator) input; returns its output. */
  build(g: GraphBuilder, x: string, rng: () => number): string;
  qop?: boolean;
  opset?: number;
}

const rounded = (rng: () => number, lo: number, hi: number) => f32(lo + rng() * (hi - lo));

const QDQ_CASES: Record<string, LookupCase> = {
  Sigmoid: { fn: 'sigmoid', build: (g, x) => g.node('Sigmoid', [x])[0]! },
  Tanh: { fn: 'tanh', build: (g, x) => g.node('Tanh', [x])[0]! },
  HardSigmoid: { fn: 'hard_sigmoid', build: (g, x, rng) => g.node('HardSigmoid', [x], { alpha: { float: rounded(rng, 0.05, 0.5) }, beta: { float: rounded(rng, -0.5, 1) } })[0]! },
  'HardSigmoid (defaults)': { fn: 'hard_sigmoid', build: (g, x) => g.node('HardSigmoid', [x])[0]! },
  HardSwish: { fn: 'hard_swish', build: (g, x) => g.node('HardSwish', [x])[0]!, opset: 14 },
  LeakyRelu: { fn: 'leaky_relu', build: (g, x, rng) => g.node('LeakyRelu', [x], { alpha: { float: rounded(rng, 0, 0.5) } })[0]! },
  'LeakyRelu (default alpha)': { fn: 'leaky_relu', build: (g, x) => g.node('LeakyRelu', [x])[0]! },
  Relu: { fn: 'relu', build: (g, x) => g.node('Relu', [x])[0]! },
  Clip: { fn: 'clip', build: (g, x, rng) => g.node('Clip', [x, g.scalar(rounded(rng, -3, 0.5)), g.scalar(rounded(rng, 0, 4))])[0]! },
  'Clip (min only)': { fn: 'clip', build: (g, x, rng) => g.node('Clip', [x, g.scalar(rounded(rng, -2, 1))])[0]! },
  'Clip-6 (attributes)': { fn: 'clip', build: (g, x, rng) => g.node('Clip', [x], { min: { float: rounded(rng, -3, 0.5) }, max: { float: rounded(rng, 0, 4) } })[0]!, opset: 10 },
};

const QOP_CASES: Record<string, LookupCase> = {
  QLinearSigmoid: { fn: 'sigmoid', build: () => '', qop: true },
  QLinearLeakyRelu: { fn: 'leaky_relu', build: () => '', qop: true },
};

function randomQuant(rng: () => number, dtype: Dtype) {
  const zero = () => Math.floor(rng() * 256) + (dtype === 'int8' ? -128 : 0);
  return { xScale: f32(Math.exp(-6 + rng() * 5)), xZero: zero(), yScale: f32(Math.exp(-8 + rng() * 6)), yZero: zero() };
}

/** x (int8|uint8 [256]) → the op → y, in QDQ or QOperator form. */
function lookupModel(name: string, c: LookupCase, dtype: Dtype, seed: number): string {
  const rng = seededRandom(seed);
  const q = randomQuant(rng, dtype);
  const g = new GraphBuilder();
  const x = g.input('x', dtype, [256]);
  const zp = (v: number) => g.scalar(v, dtype as ElemType);
  let y: string;
  if (c.qop) {
    const attrs: Record<string, { float: number }> = name === 'QLinearLeakyRelu' && rng() < 0.8 ? { alpha: { float: rounded(rng, 0, 0.5) } } : {};
    y = g.node(name, [x, g.scalar(q.xScale), zp(q.xZero), g.scalar(q.yScale), zp(q.yZero)], attrs, { domain: 'com.microsoft' })[0]!;
  } else {
    const xf = g.node('DequantizeLinear', [x, g.scalar(q.xScale), zp(q.xZero)])[0]!;
    y = g.node('QuantizeLinear', [c.build(g, xf, rng), g.scalar(q.yScale), zp(q.yZero)])[0]!;
  }
  g.output(g.rename(y, 'y'), dtype, [256]);
  return saveWithOpset(g, c.opset ?? 13);
}

const MODELS_PER_CASE = 12;
const tflite: Comparison = emptyComparison();

for (const [title, cases] of [['QOperator', QOP_CASES], ['QDQ', QDQ_CASES]] as const) {
  describe(`QLinearLookup (${title}) equals ONNX Runtime on all 256 inputs, random scales and zero points`, () => {
    for (const [name, c] of Object.entries(cases)) {
      it(`${name}: ${MODELS_PER_CASE} models, int8 and uint8`, async () => {
        const onnx = emptyComparison();
        for (let m = 0; m < MODELS_PER_CASE; m++) {
          const dtype: Dtype = m % 2 ? 'uint8' : 'int8';
          const path = lookupModel(name, c, dtype, name.length * 1000 + m);
          expect(compileModel({ modelPath: path }).graph.nodes.map((n) => n.op)).toContain('QLinearLookup');
          await compareWithOrt(path, 'onnx', allValues(dtype), onnx, `${name} model ${m}`);
          await compareWithOrt(path, 'tflite', allValues(dtype), tflite, `${name} model ${m}`);
        }
        expect(onnx.elements).toBe(256 * MODELS_PER_CASE);
        expect(onnx.mismatches, onnx.first).toBe(0);
      });
    }
  });
}

describe('QLinearLookup in tflite mode', () => {
  it('differs from ONNX Runtime by at most 1 LSB (rate reported)', () => {
    expect(tflite.elements).toBeGreaterThan(0);
    // Exact math rounded half away from zero vs ONNX Runtime's float32 approximations.
    console.log(`QLinearLookup tflite vs ONNX Runtime: ${tflite.mismatches} of ${tflite.elements} values off by ${tflite.maxDiff} (${((100 * tflite.mismatches) / tflite.elements).toFixed(3)}%)`);
    expect(tflite.maxDiff, tflite.first).toBeLessThanOrEqual(1);
  });

  it('rounds the exact function: sigmoid(0) is one half, so 0.5 / (1/256) - 128 = 0 exactly', () => {
    // Hand derivation: x_scale 0.1, zero point 0; y_scale 1/256, zero point -128. Input 0 → 0.0 →
    // sigmoid 0.5 → 128 → 0. Input 10 → 1.0 → 0.7310585786 → 187.151 → 187 - 128 = 59.
    const g = new GraphBuilder();
    const x = g.input('x', 'int8', [2]);
    const y = g.node('QLinearSigmoid', [x, g.scalar(0.1), g.scalar(0, 'int8'), g.scalar(1 / 256), g.scalar(-128, 'int8')], {}, { domain: 'com.microsoft' })[0]!;
    g.output(g.rename(y, 'y'), 'int8', [2]);
    const compiled = compileModel({ modelPath: g.save(), rounding: 'tflite' });
    const { table } = qlinearLookup.paramsOf(compiled.graph.nodes.find((n) => n.op === 'QLinearLookup')!);
    expect([table[128], table[138]]).toEqual([0, 59]);
  });

  it('parts from ONNX Runtime by one at exact ties: half away from zero against half to even', async () => {
    // x_scale 0.5, y_scale 1, zero points 0: input 1 → 0.5, input 3 → 1.5, input 5 → 2.5,
    // input -1 → alpha 1 → -0.5. Half to even: 0, 2, 2, -0. Half away from zero: 1, 2, 3, -1.
    const g = new GraphBuilder();
    const x = g.input('x', 'int8', [4]);
    const y = g.node('QLinearLeakyRelu', [x, g.scalar(0.5), g.scalar(0, 'int8'), g.scalar(1), g.scalar(0, 'int8')], { alpha: { float: 1 } }, { domain: 'com.microsoft' })[0]!;
    g.output(g.rename(y, 'y'), 'int8', [4]);
    const path = g.save();
    const input = { dtype: 'int8' as const, shape: [4], data: Int8Array.from([1, 3, 5, -1]) };
    const onnx = compileModel({ modelPath: path, rounding: 'onnx' });
    const tfl = compileModel({ modelPath: path, rounding: 'tflite' });
    expect(Array.from(runReference(onnx.graph, [input]).outputs[0]!.data as Int8Array)).toEqual([0, 2, 2, 0]);
    expect(Array.from(runReference(tfl.graph, [input]).outputs[0]!.data as Int8Array)).toEqual([1, 2, 3, -1]);
    const diff = emptyComparison();
    await compareWithOrt(path, 'onnx', input, diff);
    expect(diff.mismatches, diff.first).toBe(0);
  });
});

describe('QLinearLookup C kernel equals the reference (host, sanitizers)', () => {
  it('a chain of every function, both rounding modes', async () => {
    const rng = seededRandom(7);
    const g = new GraphBuilder();
    const x = g.input('x', 'uint8', [1, 3, 5, 7]);
    let cur = x;
    let zp = 128;
    let scale = f32(0.05);
    for (const name of ['Sigmoid', 'Tanh', 'HardSigmoid', 'LeakyRelu', 'Relu', 'Clip', 'HardSwish'] as const) {
      const xf = g.node('DequantizeLinear', [cur, g.scalar(scale), g.scalar(zp, 'uint8')])[0]!;
      zp = Math.floor(rng() * 256);
      scale = f32(Math.exp(-6 + rng() * 4));
      cur = g.node('QuantizeLinear', [QDQ_CASES[name]!.build(g, xf, rng), g.scalar(scale), g.scalar(zp, 'uint8')])[0]!;
    }
    g.output(g.rename(cur, 'y'), 'uint8', [1, 3, 5, 7]);
    const path = saveWithOpset(g, 14);
    expect(compileModel({ modelPath: path }).graph.nodes.filter((n) => n.op === 'QLinearLookup')).toHaveLength(7);
    for (const rounding of ['onnx', 'tflite'] as const) {
      const diff = await hostDiff(path, rounding, 6, 3);
      expect(diff.bytes).toBe(105 * 6);
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    }
  });
});

describe('QLinearLookup: activations and errors', () => {
  it('a Clip between a Tanh and its QuantizeLinear folds into the table and still equals ONNX Runtime', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'int8', [256]);
    const xf = g.node('DequantizeLinear', [x, g.scalar(0.05), g.scalar(3, 'int8')])[0]!;
    const clipped = g.node('Clip', [g.node('Tanh', [xf])[0]!, g.scalar(-0.25), g.scalar(0.5)])[0]!;
    const y = g.node('QuantizeLinear', [clipped, g.scalar(0.01), g.scalar(-7, 'int8')])[0]!;
    g.output(g.rename(y, 'y'), 'int8', [256]);
    const path = g.save();
    expect(compileModel({ modelPath: path }).graph.nodes.map((n) => n.op)).toEqual(['QLinearLookup']);
    const diff = emptyComparison();
    await compareWithOrt(path, 'onnx', allValues('int8'), diff);
    expect(diff.mismatches, diff.first).toBe(0);
  });

  it('rejects a per-channel quantized input with a one-line error naming the node', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'int8', [1, 2]);
    const xf = g.node('DequantizeLinear', [x, g.constant('float32', [2], [0.1, 0.2]), g.constant('int8', [2], [0, 0])], { axis: 1 })[0]!;
    const y = g.node('QuantizeLinear', [g.node('Sigmoid', [xf])[0]!, g.scalar(1 / 256), g.scalar(-128, 'int8')])[0]!;
    g.output(g.rename(y, 'y'), 'int8', [1, 2]);
    const path = g.save();
    expect(() => compileModel({ modelPath: path })).toThrow(UserError);
    expect(() => compileModel({ modelPath: path })).toThrow(/'Sigmoid_\d+' \(Sigmoid\).*per tensor/);
  });

  it('rejects a QLinearSigmoid whose zero points differ in type', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'int8', [4]);
    const y = g.node('QLinearSigmoid', [x, g.scalar(0.1), g.scalar(3, 'uint8'), g.scalar(1 / 256), g.scalar(-128, 'int8')], {}, { domain: 'com.microsoft' })[0]!;
    g.output(g.rename(y, 'y'), 'int8', [4]);
    const path = g.save();
    expect(() => compileModel({ modelPath: path })).toThrow(/QLinearSigmoid.*zero points have different types/);
  });
});
