/**
 * TFLiteSoftmax, TFLiteLogistic and TFLiteTanh: against float64 math within one output step on
 * every int8 input for several scales, and the C kernels against the reference (host, ASan/UBSan).
 */
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/ir/graph.ts';
import type { Value } from '../../src/ops/op.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { compileGraph, hostMismatches, unaryGraph, type UnaryCase } from './graphs.ts';

const LOGISTIC_OUT = { scale: 1 / 256, zeroPoint: -128 };
const TANH_OUT = { scale: 1 / 128, zeroPoint: 0 };
const ALL_INT8 = Int8Array.from({ length: 256 }, (_, i) => i - 128);
/** Input quantizations: typical, coarse (saturating early), fine, and an odd zero point. */
const INPUT_QUANTS = [
  { scale: 0.1, zeroPoint: 0 },
  { scale: 1 / 16, zeroPoint: -128 },
  { scale: 0.5, zeroPoint: 7 },
  { scale: 0.0123, zeroPoint: 30 },
  { scale: 0.2471, zeroPoint: -3 },
];

function run(graph: Graph, inputs: Int8Array[]): Int8Array[] {
  const compiled = compileGraph(graph);
  const values: Value[] = inputs.map((data, i) => ({ dtype: 'int8', shape: [...graph.tensors.get(graph.inputs[i]!)!.shape], data }));
  return runReference(compiled.graph, values).outputs.map((v) => v.data as Int8Array);
}

/** round(real / scale) + zp, saturated: the ideal int8 output. */
const ideal = (real: number, q: { scale: number; zeroPoint: number }) => Math.max(-128, Math.min(127, Math.round(real / q.scale) + q.zeroPoint));

interface Agreement {
  cases: number;
  exact: number;
  worst: number;
}

function compare(got: Int8Array, want: number[]): Agreement {
  let exact = 0;
  let worst = 0;
  want.forEach((w, i) => {
    const d = Math.abs(got[i]! - w);
    if (d === 0) exact++;
    worst = Math.max(worst, d);
  });
  return { cases: want.length, exact, worst };
}

describe('TFLiteLogistic / TFLiteTanh against float64 (every int8 input)', () => {
  for (const [op, out, f] of [
    ['TFLiteLogistic', LOGISTIC_OUT, (x: number) => 1 / (1 + Math.exp(-x))],
    ['TFLiteTanh', TANH_OUT, Math.tanh],
  ] as const) {
    it(`${op}: within one step of the real function for ${INPUT_QUANTS.length} input quantizations`, () => {
      const cases: UnaryCase[] = INPUT_QUANTS.map((x) => ({ op, shape: [256], x, y: out }));
      const outputs = run(unaryGraph(cases), cases.map(() => ALL_INT8));
      const total: Agreement = { cases: 0, exact: 0, worst: 0 };
      INPUT_QUANTS.forEach((xq, c) => {
        const a = compare(outputs[c]!, [...ALL_INT8].map((q) => ideal(f(Math.fround(xq.scale) * (q - xq.zeroPoint)), out)));
        total.cases += a.cases;
        total.exact += a.exact;
        total.worst = Math.max(total.worst, a.worst);
      });
      console.log(`${op}: ${total.exact}/${total.cases} exact, worst ${total.worst} step`);
      expect(total.worst).toBeLessThanOrEqual(1);
      expect(total.exact / total.cases).toBeGreaterThan(0.95);
    });
  }

  it('the output saturates at the input radius, and x = zero point gives 1/2 and 0 exactly', () => {
    const x = { scale: 1 / 16, zeroPoint: 0 }; // radius 120 (see fixed-point.test.ts)
    const input = Int8Array.from([0, 119, 120, -120, -119, 127, -128]);
    const [logistic, tanh] = run(unaryGraph([{ op: 'TFLiteLogistic', shape: [7], x, y: LOGISTIC_OUT }, { op: 'TFLiteTanh', shape: [7], x, y: TANH_OUT }]), [input, input]);
    expect([...logistic!]).toEqual([0, 127, 127, -128, -128, 127, -128]);
    expect([...tanh!]).toEqual([0, 127, 127, -128, -128, 127, -128]); // tanh(-119/16) * 128 = -127.9998
  });
});

/** Real softmax of one row, in int8 units of 1/256 with zero point -128. */
function realSoftmax(row: readonly number[], scale: number, beta: number): number[] {
  const max = Math.max(...row);
  const exps = row.map((q) => Math.exp(beta * scale * (q - max)));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => ideal(e / sum, LOGISTIC_OUT));
}

describe('TFLiteSoftmax against float64', () => {
  const SOFTMAX_CASES = [
    { scale: 0.1, beta: 1 },
    { scale: 1 / 16, beta: 1 },
    { scale: 0.5, beta: 1 },
    { scale: 0.0123, beta: 1 },
    { scale: 0.2471, beta: 0.5 },
    { scale: 0.05, beta: 2 },
  ];

  it('every int8 value against fixed neighbours, and random rows, within one step', () => {
    const random = seededRandom(7);
    // 256 rows [q, 0, -40, 25]: every int8 value in first place; then 256 random rows of 10.
    const scan = Int8Array.from(Array.from({ length: 256 }, (_, i) => [i - 128, 0, -40, 25]).flat());
    const rows = Int8Array.from({ length: 2560 }, () => Math.floor(random() * 256) - 128);
    const cases: UnaryCase[] = SOFTMAX_CASES.flatMap(({ scale, beta }) => [
      { op: 'TFLiteSoftmax', shape: [256, 4], x: { scale, zeroPoint: 3 }, y: LOGISTIC_OUT, attrs: { beta } },
      { op: 'TFLiteSoftmax', shape: [256, 10], x: { scale, zeroPoint: -9 }, y: LOGISTIC_OUT, attrs: { beta } },
    ]);
    const outputs = run(unaryGraph(cases), cases.map((c) => (c.shape[1] === 4 ? scan : rows)));
    const total: Agreement = { cases: 0, exact: 0, worst: 0 };
    cases.forEach((c, k) => {
      const width = c.shape[1]!;
      const input = width === 4 ? scan : rows;
      const want: number[] = [];
      for (let r = 0; r < 256; r++) want.push(...realSoftmax([...input.subarray(r * width, (r + 1) * width)], Math.fround(c.x.scale), c.attrs!.beta as number));
      const a = compare(outputs[k]!, want);
      total.cases += a.cases;
      total.exact += a.exact;
      total.worst = Math.max(total.worst, a.worst);
    });
    console.log(`TFLiteSoftmax: ${total.exact}/${total.cases} exact, worst ${total.worst} step`);
    expect(total.worst).toBeLessThanOrEqual(1);
    expect(total.exact / total.cases).toBeGreaterThan(0.95);
  });

  it('rows of equal values split exactly: 2 → 128/256 each (0), 4 → 64/256 each (-64)', () => {
    const x = { scale: 0.1, zeroPoint: 0 };
    const [two, four] = run(
      unaryGraph([
        { op: 'TFLiteSoftmax', shape: [1, 2], x, y: LOGISTIC_OUT, attrs: { beta: 1 } },
        { op: 'TFLiteSoftmax', shape: [1, 4], x, y: LOGISTIC_OUT, attrs: { beta: 1 } },
      ]),
      [Int8Array.from([5, 5]), Int8Array.from([-7, -7, -7, -7])],
    );
    expect([...two!]).toEqual([0, 0]);
    expect([...four!]).toEqual([-64, -64, -64, -64]);
  });
});

describe('TFLite-only ops reject what TFLM rejects, in one line', () => {
  const x = { scale: 0.1, zeroPoint: 0 };
  for (const [op, y, attrs, message] of [
    ['TFLiteSoftmax', { scale: 1 / 128, zeroPoint: -128 }, { beta: 1 }, /output must have scale 0.00390625 and zero point -128/],
    ['TFLiteSoftmax', { scale: 1 / 256, zeroPoint: 0 }, { beta: 1 }, /output must have scale 0.00390625 and zero point -128/],
    ['TFLiteLogistic', { scale: 1 / 256, zeroPoint: 0 }, {}, /zero point -128/],
    ['TFLiteSoftmax', LOGISTIC_OUT, { beta: 1e-9 }, /below 2\^-26/],
  ] as const) {
    it(`${op} with output ${y.scale}/${y.zeroPoint}, ${JSON.stringify(attrs)}`, () => {
      const graph = unaryGraph([{ op, shape: [1, 4], x, y, attrs }]);
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

describe("TFLM's int8 TANH and LOGISTIC write fixed units whatever the output tensor declares (tanh.cc checks nothing, logistic_common.cc only the zero point)", () => {
  // x = z_x is real 0: tanh(0) = 0 is byte 0 in TFLM's 1/128, 0 units, and sigmoid(0) = 1/2 is
  // byte -128 + 128 = 0 in its 1/256, -128 units. x far above z_x saturates: tanh to 127,
  // sigmoid to 127. A kernel that requantized into the declared output would give z_y = 7 for
  // tanh(0) and 0.5 / 0.01 - 128 = -78 for sigmoid(0).
  const x = { scale: 0.1, zeroPoint: -20 };
  it('TANH declared 0.05 / 7: tanh(0) is byte 0, tanh(10.7) is 127', () => {
    const [y] = run(unaryGraph([{ op: 'TFLiteTanh', shape: [1, 2], x, y: { scale: 0.05, zeroPoint: 7 } }]), [Int8Array.from([-20, 87])]);
    expect([...y!]).toEqual([0, 127]);
  });
  it('LOGISTIC declared 0.01 / -128: sigmoid(0) is byte 0, sigmoid(10.7) is 127', () => {
    const [y] = run(unaryGraph([{ op: 'TFLiteLogistic', shape: [1, 2], x, y: { scale: 0.01, zeroPoint: -128 } }]), [Int8Array.from([-20, 87])]);
    expect([...y!]).toEqual([0, 127]);
  });
});

describe("TFLM's int8 → int16 SOFTMAX (reference_ops::Softmax with an int16 output: units of 1/65536 from -32768)", () => {
  const x = { scale: 0.1, zeroPoint: 0 };
  const Y16 = { scale: 1 / 65536, zeroPoint: -32768 };
  const wide = (shape: number[], y = Y16) => ({ op: 'TFLiteSoftmax' as const, shape, x, y, attrs: { beta: 1 }, yType: 'int16' as const });

  it('rows of equal values: 2 → 32768/65536 each (0), 4 → 16384 each (-16384); one far above the rest → 65536 saturated (32767) and -32768', () => {
    // Equal values: the Q12.19 sum is exactly n, its reciprocal 1/n with num_bits_over_unit =
    // log2 n, so each probability is (2^31 - 1) · ... rounded by 2^(log2 n + 15) to 65536 / n.
    // [100, -100] at s_x 0.1: the second is exp(-20), about 2e-9 of the sum, which rounds to 0
    // (-32768); the first is 65536 / 65536 of it, 65536 - 32768 = 32768, saturated to 32767.
    const [two, four, apart] = run(unaryGraph([wide([1, 2]), wide([1, 4]), wide([1, 2])]), [Int8Array.from([5, 5]), Int8Array.from([-7, -7, -7, -7]), Int8Array.from([100, -100])]);
    expect([...two!]).toEqual([0, 0]);
    expect([...four!]).toEqual([-16384, -16384, -16384, -16384]);
    expect([...apart!]).toEqual([32767, -32768]);
  });

  it('refuses the int16 output TFLM refuses: zero point not -32768, scale off 1/65536 by more than 0.1%', () => {
    expect(() => compileGraph(unaryGraph([wide([1, 4], { scale: 1 / 65536, zeroPoint: 0 })]))).toThrow(/zero point -32768 and scale 1\/65536 within 0.1%/);
    expect(() => compileGraph(unaryGraph([wide([1, 4], { scale: 1.002 / 65536, zeroPoint: -32768 })]))).toThrow(/zero point -32768 and scale 1\/65536 within 0.1%/);
    // Within 0.1%: TFLM's TF_LITE_ENSURE_NEAR lets it through, and so does tinygen.
    expect(() => compileGraph(unaryGraph([wide([1, 4], { scale: 1.0005 / 65536, zeroPoint: -32768 })]))).not.toThrow();
  });

  it('the C (tg_softmax_tflite_s8_s16) equals the reference on random rows (host, sanitizers)', async () => {
    const compiled = compileGraph(unaryGraph([wide([8, 32]), { ...wide([3, 5, 4]), x: { scale: 0.3, zeroPoint: 1 } }, { ...wide([2, 256]), x: { scale: 0.05, zeroPoint: -3 }, attrs: { beta: 2 } }]));
    const host = await buildHostModel(compiled);
    try {
      const random = seededRandom(12);
      const inputs = Array.from({ length: 6 }, (_, r) => {
        const values = randomInputs(compiled.graph, random);
        if (r === 1) for (const v of values) (v.data as Int8Array).fill(-128, 0, Math.min(v.data.length, 32));
        return values;
      });
      expect(await hostMismatches(compiled, host, inputs)).toBe(0);
    } finally {
      host.dispose();
    }
  }, 120_000);
});

describe('TFLite-only op kernels: the C equals the reference (host, sanitizers)', () => {
  it('logistic, tanh and softmax on every int8 value and random tensors', async () => {
    const cases: UnaryCase[] = [
      ...INPUT_QUANTS.flatMap((x): UnaryCase[] => [
        { op: 'TFLiteLogistic', shape: [2, 256], x, y: LOGISTIC_OUT },
        { op: 'TFLiteTanh', shape: [2, 256], x, y: TANH_OUT },
        { op: 'TFLiteSoftmax', shape: [8, 32], x, y: LOGISTIC_OUT, attrs: { beta: 1 } },
      ]),
      { op: 'TFLiteSoftmax', shape: [2, 256], x: { scale: 0.05, zeroPoint: 0 }, y: LOGISTIC_OUT, attrs: { beta: 2 } },
      { op: 'TFLiteSoftmax', shape: [3, 5, 4], x: { scale: 0.3, zeroPoint: 1 }, y: LOGISTIC_OUT, attrs: { beta: 0.7 } },
    ];
    const compiled = compileGraph(unaryGraph(cases));
    const host = await buildHostModel(compiled);
    try {
      const random = seededRandom(11);
      const inputs = Array.from({ length: 6 }, (_, r) => {
        const values = randomInputs(compiled.graph, random);
        // Every int8 value in the first 256 elements (one row each for the elementwise ops and the wide softmax).
        if (r === 0) for (const v of values) if (v.data.length >= 512) (v.data as Int8Array).set(ALL_INT8);
        // A row of equal values (sum of exps exactly a whole number).
        if (r === 1) for (const v of values) (v.data as Int8Array).fill(-128, 0, Math.min(v.data.length, 32));
        return values;
      });
      expect(await hostMismatches(compiled, host, inputs)).toBe(0);
    } finally {
      host.dispose();
    }
  }, 120_000);
});
