/**
 * QGemm (QOperator and QDQ Gemm), MatMulInteger, ConvInteger and the 1-D windows (QLinearConv,
 * ConvInteger, MaxPool on [N, C, L]) against ONNX Runtime on random models: identical in onnx
 * mode; in tflite mode the requantizing ones within 1 LSB (the rate is printed), the int32 ones
 * identical.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.ts';
import { compileModel } from '../../src/pipeline.ts';
import { UserError } from '../../src/errors.ts';
import { oracleDiff } from '../helpers/oracle.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import * as models from '../kernels/matrix-models.ts';

interface Kind {
  name: string;
  make: (rng: () => number) => models.RandomModel;
  /** int32 or data-movement outputs do not depend on the rounding mode. */
  exactInTflite: boolean;
}

const KINDS: Kind[] = [
  { name: 'QGemm', make: (rng) => models.randomQGemmModel(rng), exactInTflite: false },
  { name: 'QGemm, ties', make: (rng) => models.randomQGemmModel(rng, { ties: true, alpha: [1, 0.5, 2][Math.floor(rng() * 3)] }), exactInTflite: false },
  { name: 'QGemm, float output', make: (rng) => models.randomQGemmModel(rng, { floatOutput: true }), exactInTflite: true },
  { name: 'QDQ Gemm', make: (rng) => models.randomQdqGemmModel(rng), exactInTflite: false },
  { name: 'QDQ Gemm + Relu', make: (rng) => models.randomQdqGemmModel(rng, { activation: 'relu' }), exactInTflite: false },
  { name: 'MatMulInteger', make: (rng) => models.randomMatMulIntegerModel(rng), exactInTflite: true },
  { name: 'ConvInteger 2-D', make: (rng) => models.randomConvIntegerModel(rng), exactInTflite: true },
  { name: 'ConvInteger 1-D', make: (rng) => models.randomConvIntegerModel(rng, { oneD: true }), exactInTflite: true },
  { name: 'QLinearConv 1-D (+ MaxPool 1-D + QLinearConv)', make: (rng) => models.randomConv1dModel(rng, { chain: rng() < 0.5 }), exactInTflite: false },
  { name: 'MaxPool 1-D', make: (rng) => models.randomMaxPool1dModel(rng), exactInTflite: true },
];

const MODELS_PER_KIND = 12;
const INPUTS_PER_MODEL = 8;

describe('matrix ops and 1-D windows vs ONNX Runtime', () => {
  for (const [k, kind] of KINDS.entries()) {
    it(`${kind.name}: identical in onnx mode, within 1 LSB in tflite mode`, async () => {
      const rng = seededRandom(9001 + k);
      const total = { onnx: { elements: 0, mismatches: 0 }, tflite: { elements: 0, mismatches: 0, maxDiff: 0 } };
      for (let i = 0; i < MODELS_PER_KIND; i++) {
        const model = kind.make(rng);
        const onnx = await oracleDiff(model.path, 'onnx', INPUTS_PER_MODEL, i + 1);
        expect(onnx.mismatches, `${model.summary}: ${JSON.stringify(onnx.first)}`).toBe(0);
        const tflite = await oracleDiff(model.path, 'tflite', INPUTS_PER_MODEL, i + 1);
        expect(tflite.maxDiff, model.summary).toBeLessThanOrEqual(kind.exactInTflite ? 0 : 1);
        total.onnx.elements += onnx.elements;
        total.onnx.mismatches += onnx.mismatches;
        total.tflite.elements += tflite.elements;
        total.tflite.mismatches += tflite.mismatches;
        total.tflite.maxDiff = Math.max(total.tflite.maxDiff, tflite.maxDiff);
      }
      expect(total.onnx.elements).toBeGreaterThan(MODELS_PER_KIND * INPUTS_PER_MODEL);
      const rate = ((100 * total.tflite.mismatches) / total.tflite.elements).toFixed(2);
      console.log(`${kind.name}: onnx ${total.onnx.mismatches}/${total.onnx.elements} differ; tflite ${total.tflite.mismatches}/${total.tflite.elements} (${rate}%) off by ${total.tflite.maxDiff} at most`);
    });
  }

  it('QDQ Gemm fuses into one QGemm (bias from a DequantizeLinear or from float, with or without Relu)', () => {
    const rng = seededRandom(77);
    for (const bias of ['none', 'dq', 'float'] as const) {
      for (const activation of ['none', 'relu'] as const) {
        const compiled = compileModel({ modelPath: models.randomQdqGemmModel(rng, { bias, activation }).path });
        expect(compiled.graph.nodes.map((n) => n.op).filter((op) => op !== 'ConvertUint8')).toEqual(['QGemm']);
      }
    }
  });
});

/** DQ(A) → Gemm(B, C) → Q with the given Gemm attributes and output type. */
function qdqGemm(attrs: { alpha?: number; beta?: number }, outType: 'int8' | 'uint8' = 'int8', floatBiasShape = [3]): string {
  const g = new GraphBuilder();
  const a = g.node('DequantizeLinear', [g.input('a', 'int8', [2, 4]), g.scalar(0.02), g.scalar(0, 'int8')])[0]!;
  const b = g.node('DequantizeLinear', [g.constant('int8', [4, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), g.scalar(0.01), g.scalar(0, 'int8')])[0]!;
  const c = g.constant('float32', floatBiasShape, new Array(floatBiasShape.reduce((x, y) => x * y, 1)).fill(0.25));
  const floats = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { float: v }]));
  const y = g.node('Gemm', [a, b, c], floats)[0]!;
  const out = g.node('QuantizeLinear', [y, g.scalar(0.05), g.scalar(outType === 'uint8' ? 128 : 0, outType)])[0]!;
  g.output(g.rename(out, 'y'), outType, [2, 3]);
  return g.save();
}

describe('QDQ Gemm patterns ONNX Runtime computes in float are refused', () => {
  const cases: [string, string, RegExp][] = [
    ['alpha != 1 with a bias', qdqGemm({ alpha: 0.5 }), /alpha and beta must be 1/],
    ['beta != 1', qdqGemm({ beta: 2 }), /alpha and beta must be 1/],
    ['an int8 input quantized to uint8', qdqGemm({}, 'uint8'), /A is int8 but the QuantizeLinear output is uint8/],
    ['a 2-D float bias', qdqGemm({}, 'int8', [1, 3]), /a float bias C must be 1-D/],
  ];
  for (const [what, model, message] of cases) {
    it(what, () => {
      expect(() => compileModel({ modelPath: model })).toThrow(UserError);
      expect(() => compileModel({ modelPath: model })).toThrow(message);
    });
  }
});

describe('QGemm alpha', () => {
  it("enters the multiplier as ((alpha * a_scale) * b_scale) / y_scale in float32, as ONNX Runtime's QGemm computes it", async () => {
    // Scales for which the float32 orders of the product disagree, and accumulators whose
    // outputs tell the orders apart (B = 0, so that the bias is the accumulator; y_zero_point 0).
    const f32 = Math.fround;
    const round = (x: number) => {
      const r = Math.round(x);
      return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
    };
    const ours = (al: number, sa: number, sb: number, sy: number) => f32(f32(f32(al * sa) * sb) / sy);
    const others = [
      (al: number, sa: number, sb: number, sy: number) => f32(al * f32(f32(sa * sb) / sy)),
      (al: number, sa: number, sb: number, sy: number) => f32(f32(al * f32(sa * sb)) / sy),
    ];
    const rng = seededRandom(4242);
    let telling = 0;
    let built = 0;
    for (let t = 0; t < 4000 && built < 8; t++) {
      const [al, sa, sb, sy] = [f32(0.1 + rng() * 3), f32(0.001 + rng() * 0.05), f32(0.001 + rng() * 0.05), f32(0.0005 + rng() * 0.02)];
      const mine = ours(al, sa, sb, sy);
      const accs: number[] = [];
      for (let acc = -Math.floor(127 / mine); acc <= 127 / mine && accs.length < 32; acc++) {
        if (others.some((o) => round(f32(acc * o(al, sa, sb, sy))) !== round(f32(acc * mine)))) accs.push(acc);
      }
      if (accs.length === 0) continue;
      built++;
      telling += accs.length;
      const g = new GraphBuilder();
      const n = accs.length;
      const inputs = [g.input('a', 'int8', [1, 1]), g.scalar(sa), g.scalar(0, 'int8'), g.constant('int8', [1, n], new Array(n).fill(0)), g.scalar(sb), g.scalar(0, 'int8')];
      inputs.push(g.constant('int32', [n], accs), g.scalar(sy), g.scalar(0, 'int8'));
      const [y] = g.node('QGemm', inputs, { alpha: { float: al } }, { domain: 'com.microsoft' });
      g.output(g.rename(y!, 'y'), 'int8', [1, n]);
      const diff = await oracleDiff(g.save(), 'onnx', 3);
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    }
    expect(built).toBe(8);
    expect(telling).toBeGreaterThan(8);
  });
});
