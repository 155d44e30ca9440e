/**
 * QLinearSoftmax: ONNX's com.microsoft conformance data, ONNX Runtime on random shapes, axes,
 * opsets, scales and zero points (QOperator and QDQ forms, including its overflow and uint8
 * quirks), tflite mode against ONNX Runtime and exact softmax, the gemmlowp pieces against their
 * real values, and the C kernels against the reference.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { GraphBuilder, type ElemType } from '../helpers/onnx-builder.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { SHARED } from '../helpers/paths.ts';
import { readOnnxTestCase } from '../../src/conformance/onnx-test.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { seededRandom } from '../../src/util/random.ts';
import { UserError } from '../../src/errors.ts';
import type { Value } from '../../src/ops/op.ts';
import { expOnNegativeValues, oneOverOnePlusX, reciprocal } from '../../src/ops/common/gemmlowp-fixed-point.ts';
import { compareWithOrt, emptyComparison, saveWithOpset, type Comparison } from './lookup-helpers.ts';

const f32 = Math.fround;
type Dtype = 'int8' | 'uint8';

describe('QLinearSoftmax against ONNX conformance data (onnx rounding)', () => {
  for (const name of ['test_qlinearsoftmax_int8_2d', 'test_qlinearsoftmax_uint8_2d', 'test_qlinearsoftmax_uint8_3d_last_axis']) {
    it(name, () => {
      const test = readOnnxTestCase(join(SHARED, 'conformance', 'extra', name));
      const compiled = compileModel({ modelPath: test.modelPath, bindings: test.bindings, rounding: 'onnx' });
      expect(compiled.graph.nodes.map((n) => n.op)).toContain('QLinearSoftmax');
      for (const set of test.dataSets) {
        const { outputs } = runReference(compiled.graph, [{ dtype: set.input.dtype, shape: set.input.shape, data: set.input.data! }]);
        expect(outputs[0]!.dtype).toBe(set.outputs[0]!.dtype);
        expect(Array.from(outputs[0]!.data as ArrayLike<number>)).toEqual(Array.from(set.outputs[0]!.data as ArrayLike<number>));
      }
    });
  }
});

interface SoftmaxCase {
  dtype: Dtype;
  shape: number[];
  axis?: number;
  opset: number;
  xScale: number;
  xZero: number;
  yScale: number;
  yZero: number;
  qdq: boolean;
  /** A 1x1 MaxPool first (4-D only), which puts the softmax input in NHWC. */
  pool?: boolean;
}

function softmaxModel(c: SoftmaxCase): string {
  const g = new GraphBuilder();
  const input = g.input('x', c.dtype, c.shape);
  const x = c.pool ? g.node('MaxPool', [input], { kernel_shape: [1, 1] })[0]! : input;
  const zp = (v: number) => g.scalar(v, c.dtype as ElemType);
  const axis: Record<string, number> = c.axis === undefined ? {} : { axis: c.axis };
  let y: string;
  if (c.qdq) {
    const xf = g.node('DequantizeLinear', [x, g.scalar(c.xScale), zp(c.xZero)])[0]!;
    y = g.node('QuantizeLinear', [g.node('Softmax', [xf], axis)[0]!, g.scalar(c.yScale), zp(c.yZero)])[0]!;
  } else {
    y = g.node('QLinearSoftmax', [x, g.scalar(c.xScale), zp(c.xZero), g.scalar(c.yScale), zp(c.yZero)], { ...axis, opset: c.opset }, { domain: 'com.microsoft' })[0]!;
  }
  g.output(g.rename(y, 'y'), c.dtype, c.shape);
  return saveWithOpset(g, c.qdq ? c.opset : 13);
}

function randomCase(rng: () => number, qdq: boolean): SoftmaxCase {
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const dtype: Dtype = rng() < 0.5 ? 'int8' : 'uint8';
  const rank = int(1, 4);
  const shape = Array.from({ length: rank }, () => int(1, 6));
  if (rng() < 0.2) shape[int(0, rank - 1)] = int(20, 300);
  const offset = dtype === 'int8' ? -128 : 0;
  // The usual 1/256 (with zero point at the bottom), 1/255 (ONNX Runtime's floor(1/scale) is 254 then), and others.
  const yScale = f32([1 / 256, 1 / 255, 1 / 128, Math.exp(-8 + rng() * 4)][int(0, 3)]!);
  return {
    dtype,
    shape,
    axis: rng() < 0.2 && rank > 1 ? undefined : int(-rank, rank - 1),
    opset: rng() < 0.5 ? 12 : 13,
    xScale: f32(Math.exp(-7 + rng() * 8)),
    xZero: int(0, 255) + offset,
    yScale,
    yZero: rng() < 0.5 ? offset : int(0, 255) + offset,
    qdq,
    pool: rank === 4 && rng() < 0.5,
  };
}

function rowLength(c: SoftmaxCase): number {
  const rank = c.shape.length;
  const axis = c.axis === undefined ? (c.opset < 13 && c.qdq ? 1 : rank - 1) : (c.axis + rank) % rank;
  return c.opset < 13 ? c.shape.slice(axis).reduce((a, b) => a * b, 1) : c.shape[axis]!;
}

/** Random values; a third of the time crowded near the top so rows have near-equal maxima. */
function randomInput(rng: () => number, c: SoftmaxCase): Value {
  const n = c.shape.reduce((a, b) => a * b, 1);
  const crowd = rng() < 0.33;
  const data = c.dtype === 'int8' ? new Int8Array(n) : new Uint8Array(n);
  const lo = c.dtype === 'int8' ? -128 : 0;
  for (let i = 0; i < n; i++) data[i] = lo + (crowd ? 230 + Math.floor(rng() * 26) : Math.floor(rng() * 256));
  return { dtype: c.dtype, shape: [...c.shape], data };
}

const CASES = 60;
const tflite: Comparison = emptyComparison();
/** tflite mode on TFLM's own output quantization (scale 1/256, zero point at the bottom), rows of 2 or more. */
const tfliteStandard: Comparison = emptyComparison();

for (const qdq of [false, true]) {
  describe(`QLinearSoftmax (${qdq ? 'QDQ' : 'QOperator'}) equals ONNX Runtime`, () => {
    it(`${CASES} random models: shapes, axes, opsets 12 and 13, int8 and uint8, scales and zero points`, async () => {
      const rng = seededRandom(qdq ? 313 : 131);
      const onnx = emptyComparison();
      for (let m = 0; m < CASES; m++) {
        const c = randomCase(rng, qdq);
        const path = softmaxModel(c);
        for (let r = 0; r < 2; r++) {
          const input = randomInput(rng, c);
          await compareWithOrt(path, 'onnx', input, onnx, JSON.stringify(c));
          if (rowLength(c) >= 4096) continue; // beyond tflite mode's Q12.19 sum
          await compareWithOrt(path, 'tflite', input, tflite, JSON.stringify(c));
          if (c.yScale === f32(1 / 256) && c.yZero === (c.dtype === 'int8' ? -128 : 0) && rowLength(c) > 1) {
            await compareWithOrt(path, 'tflite', input, tfliteStandard, JSON.stringify(c));
          }
        }
      }
      expect(onnx.elements).toBeGreaterThan(1000);
      expect(onnx.mismatches, onnx.first).toBe(0);
    });
  });
}

describe("QLinearSoftmax reproduces ONNX Runtime's edge cases", () => {
  const edge = async (c: SoftmaxCase, data: number[], expected: number[]) => {
    const path = softmaxModel(c);
    const input: Value = { dtype: c.dtype, shape: c.shape, data: c.dtype === 'int8' ? Int8Array.from(data) : Uint8Array.from(data) };
    const compiled = compileModel({ modelPath: path, rounding: 'onnx' });
    expect(Array.from(runReference(compiled.graph, [input]).outputs[0]!.data as ArrayLike<number>)).toEqual(expected);
    const diff = emptyComparison();
    await compareWithOrt(path, 'onnx', input, diff);
    expect(diff.mismatches, diff.first).toBe(0);
  };
  const base = { shape: [1, 1], opset: 13, xScale: f32(0.1), qdq: false };

  it('a one-element row with output scale 1/256: 1.0 overflows e * 256 and gives the zero point (uint8)', async () => {
    // The table's largest entry is FLT_MAX / e^5 for D = 1; times 256 it is infinite, and ONNX
    // Runtime's conversion of infinity to uint32 gives 0: the output is 0 + zero point.
    await edge({ ...base, dtype: 'uint8', xZero: 128, yScale: f32(1 / 256), yZero: 0 }, [200], [0]);
  });

  it('the same in int8: INT32_MIN + zero point saturates low, or wraps high for a negative zero point', async () => {
    await edge({ ...base, dtype: 'int8', xZero: 0, yScale: f32(1 / 256), yZero: -128 }, [5], [127]);
    await edge({ ...base, dtype: 'int8', xZero: 0, yScale: f32(1 / 256), yZero: 3 }, [5], [-128]);
  });

  it('a QLinearSoftmax without axis works on the last axis even with opset 12 (the schema default is -1)', async () => {
    // Rows are the last axis [.., 3]: with x_scale 0.1 and inputs 0, 10, 20 the probabilities are
    // 0.0900, 0.2447, 0.6652 → 23.05, 62.65, 170.3 in 1/256 units → 23, 63, 170.
    await edge({ ...base, shape: [2, 1, 3], opset: 12, dtype: 'uint8', xZero: 0, yScale: f32(1 / 256), yZero: 0 }, [0, 10, 20, 0, 10, 20], [23, 63, 170, 23, 63, 170]);
  });

  it('a QDQ Softmax at opset 12 without axis flattens from axis 1', async () => {
    // One row of all 6 values: probabilities 0.0450, 0.1224, 0.3326 twice → 11.5, 31.3, 85.1 → 12 (11.52), 31, 85.
    await edge({ ...base, shape: [1, 2, 3], opset: 12, qdq: true, dtype: 'uint8', xZero: 0, yScale: f32(1 / 256), yZero: 0 }, [0, 10, 20, 0, 10, 20], [12, 31, 85, 12, 31, 85]);
  });

  it('output scale 1/255 uses floor(fround(1 / scale)) = 254: two equal elements give 127', async () => {
    // fround(1/255) is slightly above 1/255, so 1 / it is 254.99998 in float32, floored to 254;
    // half of 254 is exactly 127.
    await edge({ ...base, shape: [1, 2], dtype: 'uint8', xZero: 0, yScale: f32(1 / 255), yZero: 0 }, [9, 9], [127, 127]);
  });
});

describe('QLinearSoftmax in tflite mode (TFLM int8 SOFTMAX, gemmlowp fixed point)', () => {
  it("differs from ONNX Runtime by at most 1 LSB on TFLM's output quantization (rates reported)", () => {
    const rate = (c: Comparison) => `${c.mismatches} of ${c.elements} values differ (${((100 * c.mismatches) / c.elements).toFixed(2)}%), ${c.beyondOne} by more than 1, largest ${c.maxDiff}`;
    // Every random case: ONNX Runtime's floor(1 / y_scale) and its overflow to the zero point
    // (one-element rows, or small output scales) are not TFLM's arithmetic.
    console.log(`QLinearSoftmax tflite vs ONNX Runtime, all cases: ${rate(tflite)}`);
    console.log(`QLinearSoftmax tflite vs ONNX Runtime, output scale 1/256 at the bottom, rows of 2+: ${rate(tfliteStandard)}`);
    expect(tfliteStandard.elements).toBeGreaterThan(200);
    expect(tfliteStandard.maxDiff, tfliteStandard.first).toBeLessThanOrEqual(1);
  });

  it('stays within 1 LSB of the exact softmax for TFLM scales (1/256, zero point -128)', () => {
    const rng = seededRandom(99);
    let worst = 0;
    let off = 0;
    let total = 0;
    for (let m = 0; m < 40; m++) {
      const xScale = f32(Math.exp(-6 + rng() * 5));
      const n = 1 + Math.floor(rng() * 30);
      const c: SoftmaxCase = { dtype: 'int8', shape: [3, n], opset: 13, xScale, xZero: 0, yScale: f32(1 / 256), yZero: -128, qdq: false };
      const compiled = compileModel({ modelPath: softmaxModel(c), rounding: 'tflite' });
      const input = randomInput(rng, c);
      const out = runReference(compiled.graph, [input]).outputs[0]!.data as Int8Array;
      const x = input.data as Int8Array;
      for (let r = 0; r < 3; r++) {
        const row = Array.from(x.slice(r * n, r * n + n));
        const max = Math.max(...row);
        const sum = row.reduce((s, v) => s + Math.exp((v - max) * xScale), 0);
        row.forEach((v, k) => {
          const exact = Math.min(127, Math.round((Math.exp((v - max) * xScale) / sum) * 256) - 128);
          const d = Math.abs(out[r * n + k]! - exact);
          worst = Math.max(worst, d);
          off += d ? 1 : 0;
          total++;
        });
      }
    }
    console.log(`QLinearSoftmax tflite vs exact softmax: ${off} of ${total} values off by ${worst}`);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('gemmlowp exp, reciprocal and 1/(1+x) track their real values', () => {
    // exp(a) for a Q5.26 a: exp(0) is the largest Q0.31 value; exp(-1) = 0.36788; exp(-10) = 4.54e-5.
    expect(expOnNegativeValues(0, 5)).toBe(2147483647);
    for (const a of [-1, -0.25, -0.5, -2.5, -10, -31]) {
      const got = expOnNegativeValues(Math.round(a * 2 ** 26), 5) / 2 ** 31;
      expect(Math.abs(got - Math.exp(a))).toBeLessThan(2e-8 + Math.exp(a) * 1e-6);
    }
    // 1 / (1 + x) for x = 0, 0.5, 0.999: 1 (saturated to the Q0.31 maximum), 0.6667, 0.50025.
    for (const x of [0, 0.5, 0.999]) expect(Math.abs(oneOverOnePlusX(Math.round(x * 2 ** 31)) / 2 ** 31 - 1 / (1 + x))).toBeLessThan(1e-8);
    // The reciprocal of 3.0 in Q12.19: 3 = 1.5 * 2^1, so 1/1.5 in Q0.31 with one bit over unit.
    const r = reciprocal(3 * 2 ** 19, 12);
    expect(r.bitsOverUnit).toBe(1);
    expect(Math.abs(r.value / 2 ** 31 - 2 / 3)).toBeLessThan(1e-8);
  });
});

describe('QLinearSoftmax C kernels equal the reference (host, sanitizers)', () => {
  it('one model with three softmaxes (NHWC channels, a flattened tail, one-element rows), both rounding modes', async () => {
    const g = new GraphBuilder();
    const softmax = (x: string, dtype: Dtype, q: [number, number, number, number], attrs: Record<string, number>) =>
      g.node('QLinearSoftmax', [x, g.scalar(f32(q[0])), g.scalar(q[1], dtype), g.scalar(f32(q[2])), g.scalar(q[3], dtype)], attrs, { domain: 'com.microsoft' })[0]!;
    // 4-D, opset 13, axis 1: after the MaxPool the tensor is NHWC, so the softmax runs over the last axis there.
    const a = g.input('a', 'uint8', [2, 5, 3, 4]);
    const pooled = g.node('MaxPool', [a], { kernel_shape: [1, 1] })[0]!;
    g.output(g.rename(softmax(pooled, 'uint8', [0.07, 120, 1 / 256, 0], { axis: 1, opset: 13 }), 'ya'), 'uint8', [2, 5, 3, 4]);
    // 3-D, opset 12, axis 1: rows are the flattened [3, 7] tails; an output scale TFLM would not take.
    const b = g.input('b', 'int8', [2, 3, 7]);
    g.output(g.rename(softmax(b, 'int8', [0.3, -5, 1 / 200, -100], { axis: 1, opset: 12 }), 'yb'), 'int8', [2, 3, 7]);
    // One-element rows: ONNX Runtime's overflow path in onnx mode.
    const c = g.input('c', 'int8', [9, 1]);
    g.output(g.rename(softmax(c, 'int8', [0.02, 0, 1 / 256, -3], { opset: 13 }), 'yc'), 'int8', [9, 1]);
    const path = g.save();
    const nodes = compileModel({ modelPath: path }).graph.nodes.filter((n) => n.op === 'QLinearSoftmax');
    expect(nodes.map((n) => n.attrs.axis)).toEqual([3, 1, 1]);
    for (const rounding of ['onnx', 'tflite'] as const) {
      const diff = await hostDiff(path, rounding, 5, 11);
      expect(diff.bytes).toBe((120 + 42 + 9) * 5);
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    }
  });
});

describe('QLinearSoftmax errors', () => {
  it('rejects a QDQ Softmax whose output type differs from its input with a one-line error', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'int8', [1, 4]);
    const xf = g.node('DequantizeLinear', [x, g.scalar(0.1), g.scalar(0, 'int8')])[0]!;
    const y = g.node('QuantizeLinear', [g.node('Softmax', [xf])[0]!, g.scalar(1 / 256), g.scalar(0, 'uint8')])[0]!;
    g.output(g.rename(y, 'y'), 'uint8', [1, 4]);
    const path = g.save();
    expect(() => compileModel({ modelPath: path })).toThrow(UserError);
    expect(() => compileModel({ modelPath: path })).toThrow(/'Softmax_\d+' \(QLinearSoftmax\).*int8.*uint8/);
  });

  it('rejects an axis outside the rank', () => {
    const c: SoftmaxCase = { dtype: 'int8', shape: [2, 3], axis: 2, opset: 13, xScale: 0.1, xZero: 0, yScale: 1 / 256, yZero: -128, qdq: false };
    expect(() => compileModel({ modelPath: softmaxModel(c) })).toThrow(/QLinearSoftmax.*axis 2 is outside rank 2/);
  });
});
