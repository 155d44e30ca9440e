/**
 * Conv16x8, TFLite's 16x8 convolution as TFLM computes it: hand derivations of the two
 * requantization paths TFLM picks by the bias type (an int64 bias: the int64
 * MultiplyByQuantizedMultiplier, whose multiplier is first cut to 15 bits and which rounds once;
 * an int32 bias: the int32 one, which rounds twice), and the C kernel against the reference on the
 * host under ASan/UBSan for plain, strided, padded, dilated, grouped and depthwise layers.
 */
import { describe, expect, it } from 'vitest';
import type { Graph, Tensor } from '../../src/ir/graph.ts';
import type { Value } from '../../src/ops/op.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { windowAttrs } from '../../src/frontend/tflite/spatial.ts';
import { Padding } from '../../src/frontend/tflite/schema.ts';
import { compileGraph, hostMismatches } from './graphs.ts';

interface ConvCase {
  input: [number, number, number, number];
  kernel: [number, number];
  outC: number;
  group?: number;
  /** Weights [1][k_h][k_w][out_c], one input channel per group. */
  depthwise?: boolean;
  strides?: [number, number];
  dilations?: [number, number];
  padding?: number;
  scales: { x: number; w: number[]; y: number };
  bias?: 'int64' | 'int32';
  weights?: number[];
  biasValues?: number[];
  clamp?: [number, number];
}

/** A graph of the given layers side by side: x<i> → Conv16x8 → y<i>. */
function convGraph(cases: readonly ConvCase[], random = seededRandom(7)): Graph {
  const graph: Graph = { name: 'conv16x8', tensors: new Map(), nodes: [], inputs: [], outputs: [] };
  const add = (t: Tensor) => graph.tensors.set(t.name, t);
  cases.forEach((c, i) => {
    const [n, h, w, ch] = c.input;
    const group = c.depthwise ? ch : (c.group ?? 1);
    const { attrs, outputHW } = windowAttrs({ padding: c.padding ?? Padding.VALID, kernel: c.kernel, strides: c.strides ?? [1, 1], dilations: c.dilations ?? [1, 1] }, [h, w]);
    const weightShape = c.depthwise ? [1, ...c.kernel, c.outC] : [c.outC, ...c.kernel, ch / group];
    const count = weightShape.reduce((a, b) => a * b, 1);
    const weights = Int8Array.from(c.weights ?? Array.from({ length: count }, () => Math.floor(random() * 256) - 128));
    add({ name: `x${i}`, dtype: 'int16', shape: [...c.input], quant: { scale: [Math.fround(c.scales.x)], zeroPoint: [0] } });
    add({ name: `w${i}`, dtype: 'int8', shape: weightShape, data: weights, quant: { scale: c.scales.w.map(Math.fround), zeroPoint: c.scales.w.map(() => 0), ...(c.scales.w.length > 1 ? { axis: c.depthwise ? 3 : 0 } : {}) } });
    add({ name: `y${i}`, dtype: 'int16', shape: [n, ...outputHW, c.outC], quant: { scale: [Math.fround(c.scales.y)], zeroPoint: [0] } });
    const inputs = [`x${i}`, `w${i}`];
    if (c.bias) {
      const values = c.biasValues ?? Array.from({ length: c.outC }, () => Math.floor(random() * 2 ** 24) - 2 ** 23);
      const data = c.bias === 'int64' ? BigInt64Array.from(values.map(BigInt)) : Int32Array.from(values);
      add({ name: `b${i}`, dtype: c.bias, shape: [c.outC], data });
      inputs.push(`b${i}`);
    }
    graph.nodes.push({ name: `conv${i}`, op: 'Conv16x8', inputs, outputs: [`y${i}`], attrs: { ...attrs, group, ...(c.clamp ? { clamp: c.clamp } : {}) } });
    graph.inputs.push(`x${i}`);
    graph.outputs.push(`y${i}`);
  });
  return graph;
}

/** The reference's output of a one-layer graph on the given input values. */
function run(c: ConvCase, x: number[]): number[] {
  const compiled = compileGraph(convGraph([c]));
  const [y] = runReference(compiled.graph, [{ dtype: 'int16', shape: [...c.input], data: Int16Array.from(x) }]).outputs;
  return Array.from(y!.data as Int16Array);
}

describe('Conv16x8: hand derivations of the two TFLM requantization paths', () => {
  // s_x · s_w / s_y = 0.5 · 0.5 / 1 = 0.25: QuantizeMultiplier gives 2^30 with shift -1.
  const quarter = (bias: 'int64' | 'int32'): ConvCase => ({ input: [1, 1, 2, 1], kernel: [1, 1], outC: 1, scales: { x: 0.5, w: [0.5], y: 1 }, bias, weights: [1], biasValues: [0] });

  it('int64 bias: one rounding, half toward +inf (1.25 → 1, -0.5 → 0)', () => {
    // rm = (2^30 + 2^15) >> 16 = 2^14, total shift 15 + 1 = 16:
    // (5 · 2^14 + 2^15) >> 16 = 114688 >> 16 = 1; (-2 · 2^14 + 2^15) >> 16 = 0.
    expect(run(quarter('int64'), [5, -2])).toEqual([1, 0]);
  });

  it('int32 bias: the int32 path rounds twice (1.25 → 2, -0.5 → -1)', () => {
    // SRDHM(5, 2^30) = floor(2.5 + 0.5) = 3, RDBPOT(3, 1) = 1.5 → 2;
    // SRDHM(-2, 2^30) = -1, RDBPOT(-1, 1) = -0.5 → -1 (away from zero).
    expect(run(quarter('int32'), [5, -2])).toEqual([2, -1]);
  });

  it("int64 bias: the multiplier cut to 15 bits moves 98000 / 3 from 32667 to 32666", () => {
    // s_y = 3: 1/3 = 0.666..·2^-1, M = round(0.666..·2^31) = 1431655765, rm = (M + 2^15) >> 16 = 21845.
    // Four taps of 24500 · 1 sum to 98000: (98000 · 21845 + 2^15) >> 16 = 2140842768 >> 16 = 32666,
    // where the exact 32666.67 and the int32 path (SRDHM 65333, RDBPOT(65333, 1) = 32666.5 → 32667) give 32667.
    const third = (bias: 'int64' | 'int32'): ConvCase => ({ input: [1, 1, 1, 4], kernel: [1, 1], outC: 1, scales: { x: 1, w: [1], y: 3 }, bias, weights: [1, 1, 1, 1], biasValues: [0] });
    expect(run(third('int64'), [24500, 24500, 24500, 24500])).toEqual([32666]);
    expect(run(third('int32'), [24500, 24500, 24500, 24500])).toEqual([32667]);
  });

  it('the bias joins the whole sum; padding adds nothing; the output saturates at int16', () => {
    // 3x1 window over a 2-pixel row, SAME: out 2 pixels, one zero pixel of padding on each side.
    // s_x · s_w / s_y = 1 (M = 2^30, shift 1): exact integers pass unchanged.
    const c: ConvCase = { input: [1, 1, 2, 1], kernel: [1, 3], outC: 1, padding: Padding.SAME, scales: { x: 1, w: [1], y: 1 }, bias: 'int64', weights: [1, 2, 3], biasValues: [-7] };
    // pixel 0: pad·1 + 10·2 + 20·3 - 7 = 73; pixel 1: 10·1 + 20·2 + pad·3 - 7 = 43.
    expect(run(c, [10, 20])).toEqual([73, 43]);
    // pixel 0: 30000·2 + 30000·3 - 7 = 149993 → 32767; pixel 1: 30000 + 60000 - 7 = 89993 → 32767; negated, -32768.
    expect(run(c, [30000, 30000])).toEqual([32767, 32767]);
    expect(run(c, [-30000, -30000])).toEqual([-32768, -32768]);
  });

  it('a fused clamp applies after requantization', () => {
    const c: ConvCase = { input: [1, 1, 2, 1], kernel: [1, 1], outC: 1, scales: { x: 1, w: [1], y: 1 }, bias: 'int64', weights: [1], biasValues: [0], clamp: [0, 100] };
    expect(run(c, [-5, 500])).toEqual([0, 100]);
  });
});

describe('Conv16x8 in C on the hand-derived ties', () => {
  it('the C gives the same 1, 0 (ties toward +inf) and 32666 as the reference', async () => {
    // Four input channels, so that both layers take the dense kernel (tg_conv_s16.h); only the first is weighted.
    const quarter: ConvCase = { input: [1, 1, 4, 4], kernel: [1, 1], outC: 1, scales: { x: 0.5, w: [0.5], y: 1 }, bias: 'int64', weights: [1, 0, 0, 0], biasValues: [0] };
    const third: ConvCase = { input: [1, 1, 1, 4], kernel: [1, 1], outC: 1, scales: { x: 1, w: [1], y: 3 }, bias: 'int64', weights: [1, 1, 1, 1], biasValues: [0] };
    const compiled = compileGraph(convGraph([quarter, third]));
    const values: Value[][] = [
      [
        { dtype: 'int16', shape: [1, 1, 4, 4], data: Int16Array.from([5, 9, 9, 9, -2, 9, 9, 9, -6, 9, 9, 9, 2, 9, 9, 9]) },
        { dtype: 'int16', shape: [1, 1, 1, 4], data: Int16Array.from([24500, 24500, 24500, 24500]) },
      ],
    ];
    const outputs = runReference(compiled.graph, values[0]!).outputs.map((v) => Array.from(v.data as Int16Array));
    // -6 / 4 = -1.5 → -1 and 2 / 4 = 0.5 → 1: ties toward +inf.
    expect(outputs).toEqual([[1, 0, -1, 1], [32666]]);
    const host = await buildHostModel(compiled);
    try {
      expect(await hostMismatches(compiled, host, values)).toBe(0);
    } finally {
      host.dispose();
    }
  });
});

describe('Conv16x8 in C equals the reference (host, ASan/UBSan)', () => {
  const perChannel = (n: number, base: number) => Array.from({ length: n }, (_, i) => base * (1 + i / 7));
  const cases: ConvCase[] = [
    { input: [1, 4, 9, 8], kernel: [3, 3], outC: 8, scales: { x: 0.0017, w: perChannel(8, 0.004), y: 0.0058 }, bias: 'int64' },
    { input: [1, 5, 8, 6], kernel: [3, 4], outC: 4, strides: [2, 2], padding: Padding.SAME, scales: { x: 0.002, w: perChannel(4, 0.01), y: 0.01 }, bias: 'int64' },
    { input: [1, 6, 6, 4], kernel: [3, 3], outC: 4, dilations: [2, 2], scales: { x: 0.001, w: [0.02], y: 0.004 } },
    { input: [1, 4, 4, 8], kernel: [2, 2], outC: 4, group: 2, scales: { x: 0.003, w: perChannel(4, 0.005), y: 0.009 }, bias: 'int32' },
    { input: [1, 5, 7, 6], kernel: [3, 3], outC: 6, depthwise: true, padding: Padding.SAME, scales: { x: 0.002, w: perChannel(6, 0.03), y: 0.005 }, bias: 'int64' },
    // More than 511 input channels: the kernel's int32 partial sums come in pieces.
    { input: [1, 1, 2, 600], kernel: [1, 1], outC: 3, scales: { x: 0.001, w: perChannel(3, 0.001), y: 0.004 }, bias: 'int64' },
    { input: [2, 3, 3, 2], kernel: [1, 1], outC: 2, scales: { x: 0.5, w: [0.25, 0.125], y: 1.5 }, bias: 'int64', clamp: [-1000, 2000] },
  ];

  it(`${cases.length} layers on random int16 inputs: every output byte equal`, async () => {
    const compiled = compileGraph(convGraph(cases));
    const random = seededRandom(1616);
    const values: Value[][] = Array.from({ length: 3 }, () => randomInputs(compiled.graph, random));
    const host = await buildHostModel(compiled);
    try {
      expect(await hostMismatches(compiled, host, values)).toBe(0);
    } finally {
      host.dispose();
    }
  });
});
