/**
 * TFLite's MAX_POOL_2D, AVERAGE_POOL_2D and MEAN on int16 (16x8 models), as TFLM's reference
 * kernels compute them: hand derivations of TFLM's integer steps through .tflite files (the
 * reference interpreter and the host C must both give the derived values), the refusals, and the
 * C kernels against the reference on random int16 inputs on the host under ASan/UBSan.
 *
 * TFLM's rules (reference integer_ops/pooling.h and reduce.h):
 * - AVERAGE_POOL_2D: acc = the int32 sum of the raw values of the window's taps inside the input
 *   (padding is neither summed nor counted), n = their count, avg = acc > 0 ? (acc + n/2) / n :
 *   (acc - n/2) / n with C's truncating division (half away from zero), clamped to the activation
 *   range.
 * - MAX_POOL_2D: the maximum of the taps inside the input, from -32768, clamped to the range.
 * - The activation range of a fused activation is CalculateActivationRangeQuantized's with int16
 *   bounds: z + round(b / s) for each finite bound b, saturated to [-32768, 32767].
 * - MEAN: M, s = QuantizeMultiplier(s_x / s_y in double); k = min(floor(log2 n), 32, 31 + s),
 *   M' = trunc((M << k) / n), s' = s - k; y = clamp(MBQM(Σ(x - z_x), M', s') + z_y) to int16,
 *   where the sum is int32 and wraps, and MBQM(a, M, s) = SRDHM(a << s, M) for s > 0, else
 *   RDBPOT(SRDHM(a, M), -s). SRDHM(a, M) = trunc((a·M + nudge) / 2^31), nudge 2^30 for a·M >= 0
 *   and 1 - 2^30 below (its tie goes toward +inf); RDBPOT rounds half away from zero.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttrValue, Graph, Tensor } from '../../src/ir/graph.ts';
import type { Value } from '../../src/ops/op.ts';
import { buildTflite, pool2dOptions, reducerOptions, type ModelSpec, type TensorSpec } from '../helpers/tflite-builder.ts';
import { itGivesHandDerivedBytes } from '../helpers/tflite-hand-cases.ts';
import { ActivationFunctionType as Activation, BuiltinOperator, Padding, TensorType } from '../../src/frontend/tflite/schema.ts';
import { windowAttrs } from '../../src/frontend/tflite/spatial.ts';
import { compileModel, generate } from '../../src/pipeline.ts';
import { lower } from '../../src/passes/index.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { qlinearReduceMean } from '../../src/ops/qlinear-reduce-mean/index.ts';
import { compileGraph, hostMismatches } from './graphs.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-pool-mean-16-'));
const { INT8, INT16, INT32 } = TensorType;
const { AVERAGE_POOL_2D, MAX_POOL_2D, MEAN } = BuiltinOperator;

interface Activation16 {
  shape: number[];
  scale: number;
  zeroPoint?: number;
  type?: number;
}

const tensor = (name: string, a: Activation16): TensorSpec => ({ name, type: a.type ?? INT16, shape: a.shape, scale: [a.scale], zeroPoint: [a.zeroPoint ?? 0] });

/** x (tensor 0) → pool → y (tensor 1). */
function poolModel(code: number, x: Activation16, y: Activation16, o: { filter: [number, number]; stride: [number, number]; padding: number; activation?: number }): ModelSpec {
  return {
    tensors: [tensor('x', x), tensor('y', y)],
    operators: [{ code, inputs: [0], outputs: [1], options: pool2dOptions(o), version: 3 }],
    inputs: [0],
    outputs: [1],
  };
}

/** x (tensor 0) → MEAN over `axes` (tensor 2) → y (tensor 1). */
function meanModel(x: Activation16, y: Activation16, axes: number[], keepDims: boolean): ModelSpec {
  return {
    tensors: [tensor('x', x), tensor('y', y), { name: 'axes', type: INT32, shape: [axes.length], data: Int32Array.from(axes) }],
    operators: [{ code: MEAN, inputs: [0, 2], outputs: [1], options: reducerOptions(keepDims), version: 3 }],
    inputs: [0],
    outputs: [1],
  };
}

function writeModel(name: string, spec: ModelSpec): string {
  const path = join(dir, `${name}.tflite`);
  writeFileSync(path, buildTflite(spec));
  return path;
}

const int16Bytes = (values: readonly number[]) => new Uint8Array(Int16Array.from(values).buffer);

/** One describe per case: the reference and the host C give `expected` for each input record. */
function describeInt16Case(name: string, spec: ModelSpec, inputs: number[][], expected: number[][]): void {
  describe(name, () => {
    const compiled = compileModel({ modelPath: writeModel(name.replace(/\W+/g, '_'), spec) });
    itGivesHandDerivedBytes(compiled, inputs.map(int16Bytes), Buffer.from(Int16Array.from(expected.flat()).buffer));
  });
}

// A 2x3 image, one channel, a 2x2 window with stride 1 and SAME padding: out 2x3, one row of
// padding at the bottom and one column at the right (TFLite puts the odd pixel at the end). So the
// windows hold 4 taps (row 0, columns 0-1 and 1-2), 2 taps (row 0 column 2; row 1 columns 0-1 and
// 1-2) and 1 tap (row 1 column 2).
const image = { shape: [1, 2, 3, 1], scale: 1 / 1024 };
const window2x2 = { filter: [2, 2] as [number, number], stride: [1, 1] as [number, number], padding: Padding.SAME };
// x = [[-20000, 10001, -32768], [-7, 4, 30001]], every value but two beyond int8.
const averageInput = [-20000, 10001, -32768, -7, 4, 30001];

describe('AVERAGE_POOL_2D int16: hand derivations of TFLM\'s kernel', () => {
  // (0,0): -20000 + 10001 - 7 + 4 = -10002, n 4: (-10002 - 2) / 4 = -2501 (-2500.5, away from zero).
  // (0,1): 10001 - 32768 + 4 + 30001 = 7238, n 4: (7238 + 2) / 4 = 1810 (1809.5, away from zero).
  // (0,2): -32768 + 30001 = -2767, n 2 (the right column is padding): (-2767 - 1) / 2 = -1384.
  // (1,0): -7 + 4 = -3, n 2 (the bottom row is padding): (-3 - 1) / 2 = -2, where JavaScript's
  //        Math.round(-1.5) would give -1 and counting the padding (n 4) -0.75 → -1.
  // (1,1): 4 + 30001 = 30005, n 2: (30005 + 1) / 2 = 15003.
  // (1,2): 30001, n 1: 30001 (counting the padding would give 7500).
  describeInt16Case('int16 average pool, SAME 2x2', poolModel(AVERAGE_POOL_2D, image, image, window2x2), [averageInput], [[-2501, 1810, -1384, -2, 15003, 30001]]);

  // RELU6 at s = 1/1024, z = 0: the range is [0, round(6 / 2^-10)] = [0, 6144], so the averages
  // above clamp to [0, 1810, 0, 0, 6144, 6144]; an int8 range would have stopped at 127.
  describeInt16Case(
    'int16 average pool, SAME 2x2, fused RELU6',
    poolModel(AVERAGE_POOL_2D, image, image, { ...window2x2, activation: Activation.RELU6 }),
    [averageInput],
    [[0, 1810, 0, 0, 6144, 6144]],
  );
});

describe('MAX_POOL_2D int16: hand derivations of TFLM\'s kernel', () => {
  // x = [[-20000, -300, -32768], [-7, -25000, -32767]]: every tap negative, so a padding value of
  // 0 (or of the zero point) would win wherever a window overhangs the input; it never does.
  // (0,0) max(-20000, -300, -7, -25000) = -7; (0,1) max(-300, -32768, -25000, -32767) = -300;
  // (0,2) max(-32768, -32767) = -32767; (1,0) max(-7, -25000) = -7; (1,1) -25000; (1,2) -32767.
  const input = [-20000, -300, -32768, -7, -25000, -32767];
  describeInt16Case('int16 max pool, SAME 2x2', poolModel(MAX_POOL_2D, image, image, window2x2), [input], [[-7, -300, -32767, -7, -25000, -32767]]);

  // RELU_N1_TO_1 at s = 1/1024: [round(-1 · 1024), round(1 · 1024)] = [-1024, 1024].
  describeInt16Case(
    'int16 max pool, SAME 2x2, fused RELU_N1_TO_1',
    poolModel(MAX_POOL_2D, image, image, { ...window2x2, activation: Activation.RELU_N1_TO_1 }),
    [input],
    [[-7, -300, -1024, -7, -1024, -1024]],
  );
});

describe("TFLM's own int16 pooling goldens (tflite-micro tensorflow/lite/micro/kernels/pooling_test.cc)", () => {
  // Each TFLM test runs a 1x2x4x1 input with equal input and output quantization and checks every
  // output exactly. TFLM's "PaddingSameStride1" case passes VALID padding with a 2x4 output, so its
  // windows overhang the bottom and right edges: that is SAME padding here (its pads are all at
  // the bottom and right). Our hand checks of two of them: average [0, -24, 8, 16 / 12, 8, -40, 28],
  // 2x2 stride 2: (0 - 24 + 12 + 8) / 4 = -1, (8 + 16 - 40 + 28) / 4 = 3; max with RELU6 at scale 1,
  // [0, -6, 12, 4 / -3, -2, 10, 7]: max 0 and 12, clamped to [0, 6]: 0 and 6.
  const row2x4 = (scale: number) => ({ shape: [1, 2, 4, 1], scale });
  const out = (w: number, scale: number) => ({ shape: [1, 1, w, 1], scale });
  const goldens: [string, number, Activation16, Activation16, { filter: [number, number]; stride: [number, number]; padding: number; activation?: number }, number[], number[]][] = [
    ['average VALID stride 2', AVERAGE_POOL_2D, row2x4(0.25), out(2, 0.25), { filter: [2, 2], stride: [2, 2], padding: Padding.VALID }, [0, -24, 8, 16, 12, 8, -40, 28], [-1, 3]],
    ['average VALID stride 2x1 RELU', AVERAGE_POOL_2D, row2x4(0.25), out(3, 0.25), { filter: [2, 2], stride: [2, 1], padding: Padding.VALID, activation: Activation.RELU }, [0, -24, 8, 16, 12, 8, -40, 28], [0, 0, 3]],
    ['average VALID stride 1x2 RELU_N1_TO_1', AVERAGE_POOL_2D, row2x4(0.25), out(2, 0.25), { filter: [2, 2], stride: [1, 2], padding: Padding.VALID, activation: Activation.RELU_N1_TO_1 }, [0, -24, 8, 16, 12, 8, -40, 28], [-1, 3]],
    ['average VALID stride 2 RELU6', AVERAGE_POOL_2D, row2x4(0.25), out(2, 0.25), { filter: [2, 2], stride: [2, 2], padding: Padding.VALID, activation: Activation.RELU6 }, [12, -24, 32, 16, 12, 8, 40, 28], [2, 24]],
    ['average overhanging stride 1', AVERAGE_POOL_2D, row2x4(0.25), row2x4(0.25), { filter: [2, 2], stride: [1, 1], padding: Padding.SAME }, [12, -24, 32, 16, 12, 8, 40, 28], [2, 14, 29, 22, 10, 24, 34, 28]],
    ['max VALID stride 2', MAX_POOL_2D, row2x4(1), out(2, 1), { filter: [2, 2], stride: [2, 2], padding: Padding.VALID }, [0, 6, 2, 4, 3, 2, 10, 7], [6, 10]],
    ['max RELU', MAX_POOL_2D, row2x4(0.5), out(2, 0.5), { filter: [2, 2], stride: [2, 2], padding: Padding.VALID, activation: Activation.RELU }, [-3, -12, 4, 8, -6, -4, 20, 14], [0, 20]],
    ['max RELU_N1_TO_1', MAX_POOL_2D, row2x4(1), out(2, 1), { filter: [2, 2], stride: [2, 2], padding: Padding.VALID, activation: Activation.RELU_N1_TO_1 }, [-2, -6, -2, -4, -3, -2, 10, 7], [-1, 1]],
    ['max RELU6', MAX_POOL_2D, row2x4(1), out(2, 1), { filter: [2, 2], stride: [2, 2], padding: Padding.VALID, activation: Activation.RELU6 }, [0, -6, 12, 4, -3, -2, 10, 7], [0, 6]],
  ];
  for (const [name, code, x, y, options, input, golden] of goldens) describeInt16Case(`TFLM golden: ${name}`, poolModel(code, x, y, options), [input], [golden]);
});

describe('MEAN int16: hand derivations of TFLM\'s QuantizedMeanOrSum', () => {
  // s_x = 0.1f, s_y = 0.07f: s_x / s_y = 1.4285714437767 = 0.71428572189 · 2^1, M = 1533916908,
  // s = 1. n = 2: k = min(1, 32, 32) = 1, M' = (M << 1) / 2 = M, s' = 0.
  // [20000, 20001]: Σ = 40001, 40001 · 1533916908 = 61358210236908, + 2^30 = 61359283978732,
  // / 2^31 = 28572.64 → 28572 (the real mean 20000.5 · 0.1 / 0.07 = 28572.14, rounded once).
  // [-20000, -20001]: -61358210236908 + 1 - 2^30 = -61359283978731, / 2^31 → -28572.
  // [-1, 0]: Σ = -1, SRDHM = trunc((-1533916908 + 1 - 2^30) / 2^31) = trunc(-1.21) = -1.
  describeInt16Case(
    'int16 mean of two, s_x 0.1, s_y 0.07',
    meanModel({ shape: [1, 2], scale: 0.1 }, { shape: [1], scale: 0.07 }, [1], false),
    [[20000, 20001], [-20000, -20001], [-1, 0]],
    [[28572], [-28572], [-1]],
  );

  // Equal scales: M = 2^30, s = 1; n = 2: k = 1, M' = 2^30, s' = 0, so y = SRDHM(Σ, 2^30), whose
  // tie goes toward +inf (unlike AVERAGE_POOL_2D's, away from zero):
  // [-7, 4]: Σ = -3, trunc((-3 · 2^30 + 1 - 2^30) / 2^31) = trunc(-1.9999999995) = -1 (the pool gives -2).
  // [32767, 32766]: Σ = 65533, trunc((65533 · 2^30 + 2^30) / 2^31) = 65534 / 2 = 32767.
  // [-32768, -32767]: Σ = -65535, trunc((-65535 · 2^30 + 1 - 2^30) / 2^31) = trunc(-32767.9999999995) = -32767.
  describeInt16Case(
    'int16 mean of rows, equal scales',
    meanModel({ shape: [3, 2], scale: 0.5 }, { shape: [3], scale: 0.5 }, [1], false),
    [[-7, 4, 32767, 32766, -32768, -32767]],
    [[-1, 32767, -32767]],
  );

  // s_x / s_y = 2: M = 2^30, s = 2; n = 2: k = 1, M' = 2^30, s' = 1: y = SRDHM(Σ << 1, 2^30) = Σ,
  // saturated to int16: [30000, 20000] → 50000 → 32767; [-30000, -20000] → -32768; [-3, 0] → -3.
  describeInt16Case(
    'int16 mean saturating at int16',
    meanModel({ shape: [1, 2], scale: 1 }, { shape: [1], scale: 0.5 }, [1], false),
    [[30000, 20000], [-30000, -20000], [-3, 0]],
    [[32767], [-32768], [-3]],
  );

  // Over every axis of [2, 3] with keep_dims false and the output declared [1] (an int16 Reshape
  // follows the mean). s_x = s_y = 0.25, z_x = 100, z_y = -50: M = 2^30, s = 1; n = 6:
  // k = min(2, 32, 32) = 2, M' = trunc(2^32 / 6) = 715827882, s' = -1.
  // x - z_x = [20000, -20000, 0, 0, -3, 0]: Σ = -3, SRDHM(-3, M') = trunc((-2147483646 + 1 - 2^30)
  // / 2^31) = trunc(-1.4999999986) = -1, RDBPOT(-1, 1) = -1 (half away from zero) → -1 - 50 = -51,
  // where the exact mean -0.5 rounded once half up would give 0 → -50.
  // x - z_x = [20000, -20000, 0, 0, 9, 0]: Σ = 9, SRDHM(9, M') = trunc((6442450938 + 2^30) / 2^31)
  // = trunc(3.4999999972) = 3, RDBPOT(3, 1) = 2 → -48.
  describeInt16Case(
    'int16 mean over every axis, output [1]',
    meanModel({ shape: [2, 3], scale: 0.25, zeroPoint: 100 }, { shape: [1], scale: 0.25, zeroPoint: -50 }, [0, 1], false),
    [
      [20100, -19900, 100, 100, 97, 100],
      [20100, -19900, 100, 100, 109, 100],
    ],
    [[-51], [-48]],
  );

  // 70000 values of 32767: TFLM's int32 sum wraps: 70000 · 32767 = 2293690000 → -2001277296.
  // Equal scales, M = 2^30, s = 1; n = 70000: k = floor(log2 70000) = 16, M' = trunc(2^46 / 70000)
  // = 1005267773, s' = -15. SRDHM(-2001277296, 1005267773): the product -2011819570505381808,
  // + 1 - 2^30, / 2^31 = -936826491.53 → -936826491; RDBPOT(-936826491, 15) = -28589.68 → -28590.
  // The mean of 32767s comes out as -28590, which is TFLM's answer.
  describeInt16Case(
    'int16 mean whose int32 sum wraps',
    meanModel({ shape: [1, 70000], scale: 1 }, { shape: [1], scale: 1 }, [1], false),
    [new Array<number>(70000).fill(32767)],
    [[-28590]],
  );

  it("the folded multiplier is TFLM's: k, M' and s' as derived above", () => {
    const compiled = compileModel({ modelPath: writeModel('mean_multiplier', meanModel({ shape: [1, 70000], scale: 1 }, { shape: [1], scale: 1 }, [1], false)) });
    const node = compiled.graph.nodes.find((n) => n.op === 'QLinearReduceMean')!;
    const rq = qlinearReduceMean.paramsOf(node).requant;
    expect(rq).toMatchObject({ mode: 'tflite', multipliers: [{ multiplier: 1005267773, shift: -15 }], min: -32768, max: 32767 });
  });
});

describe('int16 pools and mean: what the importer and the ops build or refuse', () => {
  it('an int16 pool carries its fused activation itself; an int8 one keeps its Clamp node', () => {
    const int16 = compileModel({ modelPath: writeModel('relu6_16', poolModel(MAX_POOL_2D, image, image, { ...window2x2, activation: Activation.RELU6 })) });
    expect(int16.graph.nodes.map((n) => n.op)).toEqual(['MaxPool']);
    expect(int16.graph.nodes[0]!.attrs.clamp).toEqual([0, 6144]);
    const code = [...generate(int16).files.values()].join('\n');
    expect(code).toContain('tg_maxpool2d_s16(');
    expect(code).not.toContain('tg_maxpool2d_s8(');
    const int8Image = { ...image, scale: 0.05, type: INT8 };
    const int8 = compileModel({ modelPath: writeModel('relu6_8', poolModel(MAX_POOL_2D, int8Image, int8Image, { ...window2x2, activation: Activation.RELU6 })) });
    expect(int8.graph.nodes.map((n) => n.op)).toEqual(['MaxPool', 'Clamp']);
  });

  it.each([
    ['MAX_POOL_2D', poolModel(MAX_POOL_2D, image, image, window2x2), /^[^\n]*node 'MAX_POOL_2D_0' \(MaxPool\): int16 max pooling is TFLite's 16x8 MAX_POOL_2D and needs --rounding tflite$/],
    ['AVERAGE_POOL_2D', poolModel(AVERAGE_POOL_2D, image, image, window2x2), /^[^\n]*node 'AVERAGE_POOL_2D_0' \(QLinearAveragePool\): int16 average pooling is TFLite's 16x8 AVERAGE_POOL_2D, which needs --rounding tflite$/],
    ['MEAN', meanModel({ shape: [1, 2], scale: 1 }, { shape: [1], scale: 1 }, [1], false), /^[^\n]*node 'MEAN_0' \(QLinearReduceMean\): int16 mean is TFLite's 16x8 MEAN and needs --rounding tflite$/],
  ] as const)('int16 %s in onnx rounding: one line naming the node', (name, spec, message) => {
    const path = writeModel(`onnx_${name}`, spec);
    expect(() => compileModel({ modelPath: path, rounding: 'onnx' })).toThrow(message);
  });

  it('a pool whose output is quantized unlike its input, or typed unlike it, is refused as TFLM does', () => {
    const other = writeModel('avg_requant_16', poolModel(AVERAGE_POOL_2D, image, { ...image, scale: 1 / 512 }, window2x2));
    expect(() => compileModel({ modelPath: other })).toThrow(/the input and output quantizations differ; TFLM's int16 pools keep the input's/);
    const mixed = writeModel('max_mixed', poolModel(MAX_POOL_2D, { ...image, type: INT8 }, image, window2x2));
    expect(() => compileModel({ modelPath: mixed })).toThrow(/the input 'x' is int8 and the output 'y' int16; TFLM's kernel needs one type/);
  });
});

interface PoolCase {
  op: 'MaxPool' | 'QLinearAveragePool';
  input: [number, number, number, number];
  filter: [number, number];
  stride?: [number, number];
  padding?: number;
  clamp?: [number, number];
  scale?: number;
}

interface MeanCase {
  input: number[];
  axes: number[];
  keepDims: boolean;
  x: { scale: number; zeroPoint: number };
  y: { scale: number; zeroPoint: number };
}

const int16Tensor = (name: string, shape: number[], scale: number, zeroPoint = 0): Tensor => ({ name, dtype: 'int16', shape: [...shape], quant: { scale: [Math.fround(scale)], zeroPoint: [zeroPoint] } });

/** Pools and means side by side, each its own graph input and output. */
function int16Graph(pools: readonly PoolCase[], means: readonly MeanCase[]): Graph {
  const graph: Graph = { name: 'pool_mean_16', tensors: new Map(), nodes: [], inputs: [], outputs: [] };
  const add = (t: Tensor) => graph.tensors.set(t.name, t);
  pools.forEach((c, i) => {
    const [n, h, w, ch] = c.input;
    const { attrs, outputHW } = windowAttrs({ padding: c.padding ?? Padding.VALID, kernel: c.filter, strides: c.stride ?? [1, 1], dilations: [1, 1] }, [h, w]);
    const extra: Record<string, AttrValue> = c.op === 'QLinearAveragePool' ? { count_include_pad: 0, pool_rank: 2, channels_last: 1, uint8_output: 0 } : {};
    add(int16Tensor(`px${i}`, c.input, c.scale ?? 0.001));
    add(int16Tensor(`py${i}`, [n, ...outputHW, ch], c.scale ?? 0.001));
    graph.nodes.push({ name: `pool${i}`, op: c.op, inputs: [`px${i}`], outputs: [`py${i}`], attrs: { ...attrs, ...extra, ...(c.clamp ? { clamp: c.clamp } : {}) } });
    graph.inputs.push(`px${i}`);
    graph.outputs.push(`py${i}`);
  });
  means.forEach((c, i) => {
    const outShape = c.input.flatMap((d, a) => (c.axes.includes(a) ? (c.keepDims ? [1] : []) : [d]));
    add(int16Tensor(`mx${i}`, c.input, c.x.scale, c.x.zeroPoint));
    add(int16Tensor(`my${i}`, outShape, c.y.scale, c.y.zeroPoint));
    graph.nodes.push({ name: `mean${i}`, op: 'QLinearReduceMean', inputs: [`mx${i}`], outputs: [`my${i}`], attrs: { axes: c.axes, keepdims: c.keepDims ? 1 : 0, noop_with_empty_axes: 0 } });
    graph.inputs.push(`mx${i}`);
    graph.outputs.push(`my${i}`);
  });
  return graph;
}

describe('int16 pool and mean kernels in C equal the reference (host, ASan/UBSan)', () => {
  const pools: PoolCase[] = [];
  for (const op of ['MaxPool', 'QLinearAveragePool'] as const) {
    pools.push(
      { op, input: [1, 7, 9, 8], filter: [3, 3], stride: [2, 2], padding: Padding.SAME },
      { op, input: [2, 6, 5, 3], filter: [2, 3], padding: Padding.VALID },
      { op, input: [1, 5, 6, 5], filter: [3, 2], stride: [1, 2], padding: Padding.SAME, clamp: [-12000, 20000] },
      { op, input: [1, 4, 4, 4], filter: [4, 4], padding: Padding.VALID, clamp: [0, 32767] },
      { op, input: [1, 3, 3, 7], filter: [5, 5], stride: [3, 3], padding: Padding.SAME },
    );
  }
  const same = (scale: number, zeroPoint = 0) => ({ scale, zeroPoint });
  const means: MeanCase[] = [
    { input: [1, 5, 7, 6], axes: [1, 2], keepDims: true, x: same(0.002), y: same(0.002) },
    { input: [2, 3, 4, 5], axes: [3], keepDims: false, x: same(0.003, 17), y: same(0.0011, -40) },
    { input: [3, 4, 5], axes: [0, 2], keepDims: true, x: same(0.01, -5), y: same(0.03, 9) },
    { input: [4, 6], axes: [0, 1], keepDims: false, x: same(0.5), y: same(0.25) },
    { input: [1, 2, 3, 4], axes: [1], keepDims: true, x: same(0.001), y: same(0.00013) },
  ];

  it(`${pools.length} pools and ${means.length} means on random int16 inputs: every output byte equal`, async () => {
    const compiled = compileGraph(int16Graph(pools, means));
    const random = seededRandom(1620);
    const values: Value[][] = Array.from({ length: 4 }, () => randomInputs(compiled.graph, random));
    // Inputs at the ends of int16: sums of -32768s and of 32767s, and maxima over one value.
    values.push(values[0]!.map((v, i) => ({ ...v, data: Int16Array.from(v.data as Int16Array, () => (i % 2 ? 32767 : -32768)) })));
    const host = await buildHostModel(compiled);
    try {
      expect(await hostMismatches(compiled, host, values)).toBe(0);
    } finally {
      host.dispose();
    }
  });

  it('the wrapping int32 sum of a mean agrees in C (70000 values of 32767, and of -32768)', async () => {
    const compiled = compileGraph(int16Graph([], [{ input: [1, 70000], axes: [1], keepDims: false, x: same(1, 3), y: same(1.5, -2) }]));
    const fill = (v: number): Value[] => [{ dtype: 'int16', shape: [1, 70000], data: new Int16Array(70000).fill(v) }];
    const host = await buildHostModel(compiled);
    try {
      expect(await hostMismatches(compiled, host, [fill(32767), fill(-32768)])).toBe(0);
    } finally {
      host.dispose();
    }
  });

  it('onnx rounding refuses the int16 IR ops too, naming the node', () => {
    const graph = int16Graph([{ op: 'MaxPool', input: [1, 2, 2, 1], filter: [2, 2] }], []);
    expect(() => lower(graph, { rounding: 'onnx' })).toThrow(/^node 'pool0' \(MaxPool\): int16 max pooling is TFLite's 16x8 MAX_POOL_2D and needs --rounding tflite$/);
  });

  it('the reference of the wrapping mean is the one derived by hand', () => {
    const compiled = compileGraph(int16Graph([], [{ input: [1, 70000], axes: [1], keepDims: false, x: same(1), y: same(1) }]));
    const [y] = runReference(compiled.graph, [{ dtype: 'int16', shape: [1, 70000], data: new Int16Array(70000).fill(32767) }]).outputs;
    expect(Array.from(y!.data as Int16Array)).toEqual([-28590]);
  });
});
