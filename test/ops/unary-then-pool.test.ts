/**
 * A com.microsoft unary QLinear op (QLinearSigmoid, QLinearLeakyRelu, QLinearSoftmax) or a
 * QLinearAdd feeding a QLinear pool. The pools check their zero points against their input's type
 * at import time, so the producer must declare its output with its quantized type there, not
 * leave it to shape inference. Each model must compile, its C must equal the reference, and the
 * reference must equal ONNX Runtime in onnx rounding mode.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { oracleDiff } from '../helpers/oracle.ts';
import { compileModel } from '../../src/pipeline.ts';
import { seededRandom } from '../../src/util/random.ts';

const f32 = Math.fround;
type Dtype = 'int8' | 'uint8';
const SHAPE = [1, 3, 5, 7];
const MS = { domain: 'com.microsoft' };

interface Case {
  title: string;
  dtype: Dtype;
  /** The op under test on x, with its output quantization; returns its output. */
  producer(g: GraphBuilder, x: string, q: Quant): string;
  /** The pool on the producer's output; returns its output and its shape. */
  pool(g: GraphBuilder, y: string, q: Quant): [string, number[]];
  /** The ops the compiled graph must contain. */
  ops: string[];
  /** Omit the producer's zero points (ONNX's default then is 0 in X's type). */
  noZeroPoints?: boolean;
  /** ONNX Runtime refuses to load the model, so only the compile and the C are checked. */
  noOracle?: boolean;
}

interface Quant {
  dtype: Dtype;
  scalar(value: number): string;
  zero(value: number): string;
  xScale: number;
  xZero: number;
  yScale: number;
  yZero: number;
  zScale: number;
  zZero: number;
}

function quant(g: GraphBuilder, dtype: Dtype, seed: number): Quant {
  const rng = seededRandom(seed);
  const zero = () => Math.floor(rng() * 256) + (dtype === 'int8' ? -128 : 0);
  return {
    dtype,
    scalar: (v) => g.scalar(v),
    zero: (v) => g.scalar(v, dtype),
    xScale: f32(Math.exp(-5 + rng() * 4)),
    xZero: zero(),
    yScale: f32(Math.exp(-7 + rng() * 4)),
    yZero: zero(),
    zScale: f32(Math.exp(-7 + rng() * 4)),
    zZero: zero(),
  };
}

// Producer inputs (X, X_scale, X_zero_point?, Y_scale, Y_zero_point?). An omitted Y_zero_point is
// written as '' because ONNX Runtime 1.x aborts (vector index assertion) on a 4-input QLinearSigmoid.
const unaryInputs = (x: string, q: Quant, omitZero: boolean) =>
  omitZero ? [x, q.scalar(q.xScale), '', q.scalar(q.yScale), ''] : [x, q.scalar(q.xScale), q.zero(q.xZero), q.scalar(q.yScale), q.zero(q.yZero)];

function sigmoid(omitZero = false): Case['producer'] {
  return (g, x, q) => g.node('QLinearSigmoid', unaryInputs(x, q, omitZero), {}, MS)[0]!;
}
function leakyRelu(omitZero = false): Case['producer'] {
  return (g, x, q) => g.node('QLinearLeakyRelu', unaryInputs(x, q, omitZero), { alpha: { float: 0.2 } }, MS)[0]!;
}
const softmax: Case['producer'] = (g, x, q) => g.node('QLinearSoftmax', unaryInputs(x, q, false), { axis: -1, opset: 13 }, MS)[0]!;
function add(omitZero = false): Case['producer'] {
  return (g, x, q) => {
    // A per-channel constant B broadcast over H and W; its zero point is 0 either way.
    const b = g.constant(q.dtype, [1, 3, 1, 1], q.dtype === 'uint8' ? [3, 200, 77] : [3, -100, 77]);
    const inputs = omitZero
      ? [x, q.scalar(q.xScale), '', b, q.scalar(0.03), '', q.scalar(q.yScale)]
      : [x, q.scalar(q.xScale), q.zero(q.xZero), b, q.scalar(0.03), q.zero(0), q.scalar(q.yScale), q.zero(q.yZero)];
    return g.node('QLinearAdd', inputs, {}, MS)[0]!;
  };
}

// Pool inputs (X, x_scale, x_zero_point, y_scale, y_zero_point): the producer's output quantization in.
const poolQuant = (y: string, q: Quant, omitZero: boolean) => [y, q.scalar(q.yScale), q.zero(omitZero ? 0 : q.yZero), q.scalar(q.zScale), q.zero(q.zZero)];

function globalPool(omitZero = false): Case['pool'] {
  return (g, y, q) => [g.node('QLinearGlobalAveragePool', poolQuant(y, q, omitZero), {}, MS)[0]!, [1, 3, 1, 1]];
}
function averagePool(omitZero = false): Case['pool'] {
  return (g, y, q) => [
    g.node('QLinearAveragePool', poolQuant(y, q, omitZero), { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }, MS)[0]!,
    // (5 + 2 - 3) / 2 + 1 = 3, (7 + 2 - 3) / 2 + 1 = 4.
    [1, 3, 3, 4],
  ];
}

const CASES: Case[] = [];
for (const dtype of ['int8', 'uint8'] as const) {
  CASES.push(
    { title: `${dtype} QLinearSigmoid → QLinearGlobalAveragePool`, dtype, producer: sigmoid(), pool: globalPool(), ops: ['QLinearLookup', 'QLinearGlobalAveragePool'] },
    { title: `${dtype} QLinearLeakyRelu → QLinearAveragePool`, dtype, producer: leakyRelu(), pool: averagePool(), ops: ['QLinearLookup', 'QLinearAveragePool'] },
    { title: `${dtype} QLinearSoftmax → QLinearGlobalAveragePool`, dtype, producer: softmax, pool: globalPool(), ops: ['QLinearSoftmax', 'QLinearGlobalAveragePool'] },
  );
}
// Without zero points on the producer, the output type is X's; uint8 is ONNX's default type.
for (const dtype of ['int8', 'uint8'] as const) {
  CASES.push({ title: `${dtype} QLinearSigmoid (no zero points) → QLinearGlobalAveragePool`, dtype, producer: sigmoid(true), pool: globalPool(true), ops: ['QLinearLookup', 'QLinearGlobalAveragePool'], noZeroPoints: true });
  CASES.push({ title: `${dtype} QLinearLeakyRelu (no zero points) → QLinearAveragePool`, dtype, producer: leakyRelu(true), pool: averagePool(true), ops: ['QLinearLookup', 'QLinearAveragePool'], noZeroPoints: true });
}
// QLinearAdd's importer had the same float32 fallback when none of its zero points is given.
// ONNX Runtime rejects such a QLinearAdd at load ("Input data type does not match"), so no oracle.
CASES.push({ title: 'uint8 QLinearAdd (no zero points) → QLinearGlobalAveragePool', dtype: 'uint8', producer: add(true), pool: globalPool(true), ops: ['QLinearAdd', 'QLinearGlobalAveragePool'], noZeroPoints: true, noOracle: true });
CASES.push({ title: 'uint8 QLinearAdd → QLinearAveragePool', dtype: 'uint8', producer: add(), pool: averagePool(), ops: ['QLinearAdd', 'QLinearAveragePool'] });

function build(c: Case, seed: number): string {
  const g = new GraphBuilder();
  const x = g.input('x', c.dtype, SHAPE);
  const q = quant(g, c.dtype, seed);
  if (c.noZeroPoints) {
    q.xZero = 0;
    q.yZero = 0;
  }
  const [z, shape] = c.pool(g, c.producer(g, x, q), q);
  g.output(g.rename(z, 'z'), c.dtype, shape);
  return g.save();
}

const MODELS = 3;
const INPUTS = 8;
const totals = { models: 0, oracleModels: 0, elements: 0, mismatches: 0, hostBytes: 0, hostMismatches: 0 };

describe('a QOperator unary op or QLinearAdd followed by a QLinear pool', () => {
  CASES.forEach((c, k) => {
    it(c.title, async () => {
      for (let m = 0; m < MODELS; m++) {
        const path = build(c, 100 * k + m);
        const compiled = compileModel({ modelPath: path });
        const ops = compiled.graph.nodes.map((n) => n.op);
        for (const op of c.ops) expect(ops).toContain(op);
        // The model's output keeps the model's type at the API.
        expect(compiled.graph.tensors.get('z')?.dtype).toBe(c.dtype);
        for (const rounding of ['onnx', 'tflite'] as const) {
          const host = await hostDiff(path, rounding, 4, m + 1);
          expect(host.bytes).toBeGreaterThan(0);
          expect(host.mismatches, `${rounding} model ${m}: ${JSON.stringify(host.first)}`).toBe(0);
          totals.hostBytes += host.bytes;
          totals.hostMismatches += host.mismatches;
        }
        totals.models++;
        if (c.noOracle) continue;
        const ort = await oracleDiff(path, 'onnx', INPUTS, 10 + m);
        const outElements = (c.ops.includes('QLinearGlobalAveragePool') ? 3 : 36) * INPUTS;
        expect(ort.elements).toBe(outElements);
        expect(ort.mismatches, `model ${m}: ${JSON.stringify(ort.first)}`).toBe(0);
        totals.oracleModels++;
        totals.elements += ort.elements;
        totals.mismatches += ort.mismatches;
      }
    });
  });

  it('compared every case (totals reported)', () => {
    console.log(`unary/add → pool: ${totals.models} models (${totals.oracleModels} vs ONNX Runtime): ${totals.elements} output elements, ${totals.mismatches} mismatches; ${totals.hostBytes} C bytes vs the reference, ${totals.hostMismatches} mismatches`);
    expect(totals.models).toBe(CASES.length * MODELS);
    expect(totals.oracleModels).toBe(CASES.filter((c) => !c.noOracle).length * MODELS);
  });
});
