/**
 * TFLiteLeakyRelu and TFLiteHardSwish: the constants TFLM's prepare computes, hand derivations of
 * TFLM's integer steps, every int8 input against float64 math for several quantizations, the
 * rejections, and the C kernels against the reference (host, ASan/UBSan), in place included.
 */
import { describe, expect, it } from 'vitest';
import type { Graph, Tensor } from '../../src/ir/graph.ts';
import type { Value } from '../../src/ops/op.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { compileGraph, hostMismatches, unaryGraph, type Quant, type UnaryCase } from './graphs.ts';

const ALL_INT8 = Int8Array.from({ length: 256 }, (_, i) => i - 128);

function run(graph: Graph, inputs: Int8Array[]): Int8Array[] {
  const compiled = compileGraph(graph);
  const values: Value[] = inputs.map((data, i) => ({ dtype: 'int8', shape: [...graph.tensors.get(graph.inputs[i]!)!.shape], data }));
  return runReference(compiled.graph, values).outputs.map((v) => v.data as Int8Array);
}

/** The output at every int8 input q, indexed by q. */
function table(c: UnaryCase): (q: number) => number {
  const [out] = run(unaryGraph([{ ...c, shape: [256] }]), [ALL_INT8]);
  return (q) => out![q + 128]!;
}

function paramsOf(c: UnaryCase): unknown {
  return compileGraph(unaryGraph([c])).graph.nodes.find((n) => n.op === c.op)!.params;
}

/** round(real / scale) + zp, saturated: the ideal int8 output. */
const ideal = (real: number, q: Quant) => Math.max(-128, Math.min(127, Math.round(real / q.scale) + q.zeroPoint));

describe('TFLiteLeakyRelu: hand derivations (s_x = 1, s_y = 4, alpha = 0.5)', () => {
  const c: UnaryCase = { op: 'TFLiteLeakyRelu', shape: [4], x: { scale: 1, zeroPoint: 0 }, y: { scale: 4, zeroPoint: 0 }, attrs: { alpha: 0.5 } };

  it("prepare: identity 1/4 and alpha 1/8 as TFLite's QuantizeMultiplier (2^30 with shifts -1 and -2)", () => {
    expect(paramsOf(c)).toEqual({ inputZeroPoint: 0, outputZeroPoint: 0, identity: { multiplier: 2 ** 30, shift: -1 }, alpha: { multiplier: 2 ** 30, shift: -2 }, min: -128, max: 127 });
  });

  it('double rounding: a high-mul tie goes toward +inf, then the shift rounds half away from zero', () => {
    const y = table(c);
    // x = 1: real 0.25. SRDHM(1, 2^30) = (2^30 + 2^30) / 2^31 = 1 (the 0.5 tie up), RDBPOT(1, 1) = 0.5 → 1.
    // Exact rounding would give 0: this is TFLM's double rounding, not a round of 0.25.
    expect(y(1)).toBe(1);
    // x = 6: real 1.5. SRDHM = 3, RDBPOT(3, 1) = 1.5 → 2 (away from zero).
    expect(y(6)).toBe(2);
    // x = -4 (alpha side): real -0.5. SRDHM(-4, 2^30) = (-2^32 + 1 - 2^30) / 2^31 = -2.49.. → -2,
    // RDBPOT(-2, 2) = -0.5 → -1 (the tie away from zero).
    expect(y(-4)).toBe(-1);
    // x = -3: real -0.375. SRDHM = (-3·2^30 + 1 - 2^30) / 2^31 = -1.99.. → -1, RDBPOT(-1, 2) = -0.25 → 0.
    expect(y(-3)).toBe(0);
    // x = -20: real -2.5. SRDHM = -10 exactly, RDBPOT(-10, 2) = -2.5 → -3.
    expect(y(-20)).toBe(-3);
    // x = 127: 31.75 → SRDHM 63.5 → 64 (tie up) → 32.
    expect(y(127)).toBe(32);
  });

  it('double rounding also moves a non-tie: s_x = s_y = 0.1, alpha 0.2, x = -127 gives -26, not round(-25.4)', () => {
    // alpha multiplier 0.2 = 0.8 · 2^-2 → round(0.8 · 2^31) = 1717986918, shift -2.
    // SRDHM(-127, 1717986918) = -101.6 → -102; RDBPOT(-102, 2) = -25.5 → -26.
    const y = table({ ...c, x: { scale: 0.1, zeroPoint: 0 }, y: { scale: 0.1, zeroPoint: 0 }, attrs: { alpha: 0.2 } });
    expect(y(-127)).toBe(-26);
    // x = -5: SRDHM = -4 exactly, RDBPOT(-4, 2) = -1 = the real -1.
    expect(y(-5)).toBe(-1);
  });

  it('a negative alpha flips the sign below the zero point; alpha 0 maps it to the zero point', () => {
    const negative = table({ ...c, x: { scale: 1, zeroPoint: 10 }, y: { scale: 1, zeroPoint: -5 }, attrs: { alpha: -1 } });
    // x - zp = -30 → -1 · -30 = 30, + zp -5 = 25; x - zp = 20 → 20 - 5 = 15.
    expect([negative(-20), negative(30)]).toEqual([25, 15]);
    const zero = table({ ...c, y: { scale: 1, zeroPoint: 3 }, attrs: { alpha: 0 } });
    expect([zero(-128), zero(-1), zero(0), zero(5)]).toEqual([3, 3, 3, 8]);
  });
});

describe('TFLiteHardSwish: hand derivations of reference_ops::HardSwish (s_x = s_y = 1/32, zero points 0)', () => {
  const c: UnaryCase = { op: 'TFLiteHardSwish', shape: [4], x: { scale: 1 / 32, zeroPoint: 0 }, y: { scale: 1 / 32, zeroPoint: 0 } };

  it('prepare: hires scale 1/4096; output 1/128 → Q15 16384, exponent -6; reluish 8/3 → Q15 21845, exponent 2', () => {
    // 8/3 = 0.6667 · 2^2; QuantizeMultiplier gives 1431655765, DownScaleInt32ToInt16Multiplier
    // (1431655765 + 2^15) >> 16 = 21845.
    expect(paramsOf(c)).toEqual({ inputZeroPoint: 0, outputZeroPoint: 0, reluishMultiplier: 21845, reluishExponent: 2, outputMultiplier: 16384, outputExponent: -6 });
  });

  it('the int16 steps at real 1, 3 (the relu6 corner) and -1.25', () => {
    const y = table(c);
    // x = 32 (real 1): hires 32·128 = 4096; preshift SRDHM16(4096, 16384) = 2048.5 → 2048.
    // reluish: SaturatingLeftShift(4096, 1) = 8192, SRDHM16(8192, 21845) = 5461.8 → 5461, << 1 = 10922
    // (real 1 where 3 is 32768); (10922 + 32768) >> 1 = 21845; SDHM16(21845, 2048) = 1365.3 → 1365
    // (truncating); RDBPOT(1365, 6) = 21.3 → 21. Real 1 · 4/6 · 32 = 21.33.
    expect(y(32)).toBe(21);
    // x = 96 (real 3): hires 12288, preshift 6144.5 → 6144; reluish 24576 → SRDHM16 16384.25 → 16384,
    // << 1 = 32768 saturates to 32767; (32767 + 32768) >> 1 = 32767; SDHM16(32767, 6144) = 6143.8 → 6143;
    // RDBPOT(6143, 6) = 95.98 → 96 = real 3.
    expect(y(96)).toBe(96);
    // x = -40 (real -1.25): hires -5120, preshift (-83886080 - 16383) / 32768 → -2560;
    // reluish -10240 → SRDHM16 -6827.2 → -6827, << 1 = -13654; (-13654 + 32768) >> 1 = 9557;
    // SDHM16(9557, -2560) = -746.6 → -746; RDBPOT(-746, 6) = -11.66 → -12. Real -0.3646 · 32 = -11.67.
    expect(y(-40)).toBe(-12);
    // At or below real -3 the reluish factor is 0; above +3 it saturates at 32767/32768.
    expect([y(-128), y(-96), y(0), y(127)]).toEqual([0, 0, 0, 127]);
  });
});

interface Agreement {
  cases: number;
  exact: number;
  worst: number;
}

function agreement(cases: readonly UnaryCase[], real: (c: UnaryCase, x: number) => number): Agreement {
  const outputs = run(unaryGraph(cases), cases.map(() => ALL_INT8));
  const total: Agreement = { cases: 0, exact: 0, worst: 0 };
  cases.forEach((c, k) => {
    ALL_INT8.forEach((q, i) => {
      const want = ideal(real(c, Math.fround(c.x.scale) * (q - c.x.zeroPoint)), { scale: Math.fround(c.y.scale), zeroPoint: c.y.zeroPoint });
      const d = Math.abs(outputs[k]![i]! - want);
      total.cases++;
      if (d === 0) total.exact++;
      total.worst = Math.max(total.worst, d);
    });
  });
  return total;
}

const LEAKY_CASES: UnaryCase[] = [
  { op: 'TFLiteLeakyRelu', shape: [256], x: { scale: 0.1, zeroPoint: 0 }, y: { scale: 0.1, zeroPoint: 0 }, attrs: { alpha: 0.2 } },
  { op: 'TFLiteLeakyRelu', shape: [256], x: { scale: 0.05, zeroPoint: -20 }, y: { scale: 0.07, zeroPoint: 5 }, attrs: { alpha: 0.01 } },
  { op: 'TFLiteLeakyRelu', shape: [256], x: { scale: 1, zeroPoint: 0 }, y: { scale: 4, zeroPoint: 0 }, attrs: { alpha: 0.5 } },
  { op: 'TFLiteLeakyRelu', shape: [256], x: { scale: 0.2, zeroPoint: 10 }, y: { scale: 0.1, zeroPoint: -50 }, attrs: { alpha: -0.3 } },
  { op: 'TFLiteLeakyRelu', shape: [256], x: { scale: 0.0123, zeroPoint: 30 }, y: { scale: 0.0161, zeroPoint: 40 }, attrs: { alpha: 1.7 } },
];

const HARD_SWISH_CASES: UnaryCase[] = [
  { op: 'TFLiteHardSwish', shape: [256], x: { scale: 0.1, zeroPoint: 0 }, y: { scale: 0.05, zeroPoint: -10 } },
  { op: 'TFLiteHardSwish', shape: [256], x: { scale: 1 / 32, zeroPoint: 0 }, y: { scale: 1 / 32, zeroPoint: 0 } },
  { op: 'TFLiteHardSwish', shape: [256], x: { scale: 0.05, zeroPoint: -20 }, y: { scale: 0.04, zeroPoint: -100 } },
  { op: 'TFLiteHardSwish', shape: [256], x: { scale: 0.2, zeroPoint: 10 }, y: { scale: 0.1, zeroPoint: -120 } },
  { op: 'TFLiteHardSwish', shape: [256], x: { scale: 0.0123, zeroPoint: 30 }, y: { scale: 0.0077, zeroPoint: -80 } },
  { op: 'TFLiteHardSwish', shape: [256], x: { scale: 0.5, zeroPoint: 0 }, y: { scale: 0.25, zeroPoint: -128 } },
];

describe('against float64 (every int8 input, several quantizations)', () => {
  it(`TFLiteLeakyRelu: within one step of x >= 0 ? x : alpha·x for ${LEAKY_CASES.length} quantizations`, () => {
    const a = agreement(LEAKY_CASES, (c, x) => (x >= 0 ? x : Math.fround(c.attrs!.alpha as number) * x));
    console.log(`TFLiteLeakyRelu: ${a.exact}/${a.cases} exact, worst ${a.worst} step`);
    expect(a.worst).toBeLessThanOrEqual(1);
    // Double rounding costs the rest: ties of the first two cases' 0.25 steps, and fractions
    // near .4 that the high-mul rounds up before the shift (see the alpha 0.2 case above).
    expect(a.exact / a.cases).toBeGreaterThan(0.93);
  });

  it(`TFLiteHardSwish: within one step of x·relu6(x + 3)/6 for ${HARD_SWISH_CASES.length} quantizations`, () => {
    const a = agreement(HARD_SWISH_CASES, (_, x) => (x * Math.min(6, Math.max(0, x + 3))) / 6);
    console.log(`TFLiteHardSwish: ${a.exact}/${a.cases} exact, worst ${a.worst} step`);
    expect(a.worst).toBeLessThanOrEqual(1);
    expect(a.exact / a.cases).toBeGreaterThan(0.9);
  });
});

describe('TFLiteLeakyRelu / TFLiteHardSwish reject what TFLM rejects, in one line', () => {
  const rejected: [string, UnaryCase, RegExp][] = [
    ['HARD_SWISH output scale at most input scale / 128', { op: 'TFLiteHardSwish', shape: [4], x: { scale: 1, zeroPoint: 0 }, y: { scale: 1 / 256, zeroPoint: 0 } }, /at most the input scale \/ 128, which TFLM's int8 HARD_SWISH rejects/],
    ['HARD_SWISH output scale over 2^9 input scales', { op: 'TFLiteHardSwish', shape: [4], x: { scale: 0.001, zeroPoint: 0 }, y: { scale: 1, zeroPoint: 0 } }, /more than 2\^9 times the input scale/],
    ['LEAKY_RELU identity multiplier too large', { op: 'TFLiteLeakyRelu', shape: [4], x: { scale: 1, zeroPoint: 0 }, y: { scale: 1e-10, zeroPoint: 0 }, attrs: { alpha: 0.1 } }, /s_x \/ s_y = .* too large for TFLM's LEAKY_RELU/],
    ['LEAKY_RELU without alpha', { op: 'TFLiteLeakyRelu', shape: [4], x: { scale: 1, zeroPoint: 0 }, y: { scale: 1, zeroPoint: 0 } }, /alpha must be a finite number/],
  ];
  for (const [name, c, message] of rejected) {
    it(name, () => {
      const graph = unaryGraph([c]);
      expect(() => compileGraph(graph)).toThrow(message);
      try {
        compileGraph(graph);
      } catch (e) {
        expect((e as Error).name).toBe('UserError');
        expect((e as Error).message).not.toContain('\n');
      }
    });
  }
});

/** x → LeakyRelu → t → HardSwish → y: t dies at the hard swish, whose output may take its storage. */
function chainGraph(): Graph {
  const tensor = (name: string, scale: number, zeroPoint: number): Tensor => ({ name, dtype: 'int8', shape: [2, 256], quant: { scale: [Math.fround(scale)], zeroPoint: [zeroPoint] } });
  return {
    name: 'tflite_chain',
    tensors: new Map([
      ['cx', tensor('cx', 0.05, -3)],
      ['ct', tensor('ct', 0.04, 7)],
      ['cy', tensor('cy', 0.03, -60)],
    ]),
    nodes: [
      { name: 'leaky', op: 'TFLiteLeakyRelu', inputs: ['cx'], outputs: ['ct'], attrs: { alpha: 0.1 } },
      { name: 'hswish', op: 'TFLiteHardSwish', inputs: ['ct'], outputs: ['cy'], attrs: {} },
    ],
    inputs: ['cx'],
    outputs: ['cy'],
  };
}

describe('TFLiteLeakyRelu / TFLiteHardSwish kernels: the C equals the reference (host, sanitizers)', () => {
  it('every int8 value and random tensors, every quantization above, and a chain run in place', async () => {
    const single = unaryGraph([...LEAKY_CASES, ...HARD_SWISH_CASES].map((c) => ({ ...c, shape: [2, 256] })));
    const chain = chainGraph();
    for (const [name, t] of chain.tensors) single.tensors.set(name, t);
    single.nodes.push(...chain.nodes);
    single.inputs.push(...chain.inputs);
    single.outputs.push(...chain.outputs);
    const compiled = compileGraph(single);
    // The hard swish writes over the dying leaky output.
    expect([...compiled.plan.inPlaceSteps].map((step) => compiled.graph.nodes[step]!.name)).toContain('hswish');
    const host = await buildHostModel(compiled);
    try {
      const random = seededRandom(23);
      const inputs = Array.from({ length: 4 }, (_, r) => {
        const values = randomInputs(compiled.graph, random);
        if (r === 0) for (const v of values) (v.data as Int8Array).set(ALL_INT8);
        return values;
      });
      expect(await hostMismatches(compiled, host, inputs)).toBe(0);
    } finally {
      host.dispose();
    }
  }, 120_000);
});
