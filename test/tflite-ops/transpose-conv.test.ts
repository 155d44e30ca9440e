/**
 * TFLite TRANSPOSE_CONV (TFLiteTransposeConv), int8 and 16x8, built as .tflite files: hand
 * derivations of TFLM's steps (the scatter of each input pixel through the filter, the bias after the
 * sum, QuantizeMultiplier of s_x · s_w[c] / s_y, then the int32 MultiplyByQuantizedMultiplier's two
 * roundings for int8, SaturatingRoundingDoublingHighMul's tie toward +inf and RoundingDivideByPOT's
 * away from zero, or the int64 one's 15-bit multiplier and single rounding for 16x8), checked in the
 * reference and the host C; TFLM's padding rule and the importer's refusals; and random layers of
 * several strides, paddings and channel counts in C against the reference under ASan/UBSan. TFLM's
 * own bytes for 16x8 are in ../shared/conformance/tflm-seanet/transpose_conv (conformance-run test).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../../src/pipeline.ts';
import { loadTfliteBytes } from '../../src/frontend/tflite/load.ts';
import { UserError } from '../../src/errors.ts';
import { opDefinition } from '../../src/ops/registry.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import type { Value } from '../../src/ops/op.ts';
import { ActivationFunctionType, BuiltinOperator, Padding, TensorType } from '../../src/frontend/tflite/schema.ts';
import { buildTflite, options, type ModelSpec, type TensorSpec } from '../helpers/tflite-builder.ts';
import { itGivesHandDerivedBytes } from '../helpers/tflite-hand-cases.ts';
import { hostMismatches } from './graphs.ts';

const { INT8, INT16, INT32, INT64 } = TensorType;
const { SAME, VALID } = Padding;
const { RELU } = ActivationFunctionType;

const dir = mkdtempSync(join(tmpdir(), 'tinygen-tconv-'));

interface Activation {
  shape: number[];
  scale: number;
  zeroPoint?: number;
}

/** One TRANSPOSE_CONV layer as the file holds it. */
interface Layer {
  sixteen?: boolean;
  x: Activation;
  y: Activation;
  /** [out_c][k_h][k_w][in_c] */
  weightShape: number[];
  weights: Int8Array;
  weightScales: number[];
  weightZeroPoints?: number[];
  bias?: Int32Array | BigInt64Array | Int16Array;
  padding: number;
  /** [h, w] */
  stride: [number, number];
  activation?: number;
  /** The output shape operand; the declared output shape when not given. */
  outputShape?: number[];
  /** The output shape operand is graph input `shape` (to be bound) instead of a constant. */
  shapeAsInput?: boolean;
  /** The output's TensorType, when not the input's. */
  yType?: number;
}

/** Layers side by side in one model: x<i> and y<i> are its graph inputs and outputs. */
function model(layers: readonly Layer[]): ModelSpec {
  const tensors: TensorSpec[] = [];
  const spec: ModelSpec = { tensors, operators: [], inputs: [], outputs: [] };
  const add = (t: TensorSpec) => tensors.push(t) - 1;
  layers.forEach((l, i) => {
    const type = l.sixteen ? INT16 : INT8;
    const x = add({ name: `x${i}`, type, shape: l.x.shape, scale: [l.x.scale], zeroPoint: [l.x.zeroPoint ?? 0] });
    const y = add({ name: `y${i}`, type: l.yType ?? type, shape: l.y.shape, scale: [l.y.scale], zeroPoint: [l.y.zeroPoint ?? 0] });
    const w = add({ name: `w${i}`, type: INT8, shape: l.weightShape, data: l.weights, scale: l.weightScales, zeroPoint: l.weightZeroPoints ?? l.weightScales.map(() => 0) });
    const shapeValues = Int32Array.from(l.outputShape ?? l.y.shape);
    const shape = add({ name: `shape${i}`, type: INT32, shape: [4], ...(l.shapeAsInput ? {} : { data: shapeValues }) });
    const biasType = l.bias instanceof BigInt64Array ? INT64 : l.bias instanceof Int16Array ? INT16 : INT32;
    const bias = l.bias ? add({ name: `b${i}`, type: biasType, shape: [l.bias.length], data: l.bias }) : -1;
    spec.inputs.push(...(l.shapeAsInput ? [shape] : []), x);
    spec.outputs.push(y);
    spec.operators.push({
      code: BuiltinOperator.TRANSPOSE_CONV,
      inputs: [shape, w, x, bias],
      outputs: [y],
      options: options('TransposeConvOptions', { padding: l.padding, strideH: l.stride[0], strideW: l.stride[1], fusedActivationFunction: l.activation ?? 0 }),
      version: 4,
    });
  });
  return spec;
}

function writeModel(name: string, layers: readonly Layer[]): string {
  const path = join(dir, `${name}.tflite`);
  writeFileSync(path, buildTflite(model(layers)));
  return path;
}

const bytesOf = (a: Int8Array | Int16Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * The int8 hand case: input 1x2x2x1, z_x = 1, raw [[3, 5], [-1, 1]], so x - z_x = v = [[2, 4], [-2, 0]];
 * s_x = 0.5, two output channels: w0 all 1 (scale 0.5, M = 0.25 = 2^30 · 2^-1), w1[ky][kx] =
 * 3ky + kx + 1 (scale 0.25, M = 0.125 = 2^30 · 2^-2), bias [1, -3], s_y = 1, z_y = -3. Stride 2:
 * pixel (iy, ix) covers output rows 2iy .. 2iy + 2 and columns 2ix .. 2ix + 2.
 */
const int8Layer = (padding: number, y: number[]): Layer => ({
  x: { shape: [1, 2, 2, 1], scale: 0.5, zeroPoint: 1 },
  y: { shape: y, scale: 1, zeroPoint: -3 },
  weightShape: [2, 3, 3, 1],
  weights: Int8Array.from([...new Array<number>(9).fill(1), 1, 2, 3, 4, 5, 6, 7, 8, 9]),
  weightScales: [0.5, 0.25],
  bias: Int32Array.from([1, -3]),
  padding,
  stride: [2, 2],
});
const int8Input = bytesOf(Int8Array.from([3, 5, -1, 1]));

// Channel 0: acc = bias 1 + the v of the pixels covering the position:
//   rows 0-1: [3, 3, 7, 5, 5]; row 2 (both pixel rows): [1, 1, 5, 5, 5]; rows 3-4: [-1, -1, -1, 1, 1].
//   M = 0.25: SRDHM(acc, 2^30) = floor(acc / 2 + 1/2), then RDBPOT(., 1) halves away from zero:
//   3 → 2 → 1; 7 → 4 → 2; 5 → 3 → 2 (exact 1.25); 1 → 1 → 1 (exact 0.25); -1 → 0 (SRDHM's -0.5
//   goes up) → 0. Plus z_y = -3.
const ch0 = [
  [-2, -2, -1, -1, -1],
  [-2, -2, -1, -1, -1],
  [-2, -2, -1, -1, -1],
  [-3, -3, -3, -2, -2],
  [-3, -3, -3, -2, -2],
];
// Channel 1: v · w1 scattered, bias -3. Row 0: 2·1, 2·2, 2·3 + 4·1, 4·2, 4·3 = [2, 4, 10, 8, 12];
//   row 1: 2·[4, 5, 6] and 4·[4, 5, 6] overlapping at column 2: [8, 10, 28, 20, 24]; row 2 adds
//   -2·[1, 2, 3] at columns 0-2: [14 - 2, 16 - 4, 18 + 28 - 6, 32, 36]; rows 3-4: -2·w1 rows 1-2
//   at columns 0-2: [-8, -10, -12, 0, 0], [-14, -16, -18, 0, 0]. acc = those - 3.
//   M = 0.125: SRDHM halves (ties up), RDBPOT(., 2) quarters (ties away from zero):
//   -1 → 0 → 0; 1 → 1 → 0; 7 → 4 → 1; 5 → 3 → 1; 9 → 5 → 1; 25 → 13 → 3; 17 → 9 → 2; 21 → 11 → 3;
//   37 → 19 → 5; 29 → 15 → 4; 33 → 17 → 4; -11 → -5 → -1; -13 → -6 → -2 (-1.5 away);
//   -15 → -7 → -2; -3 → -1 → 0; -17 → -8 → -2; -19 → -9 → -2; -21 → -10 → -3 (-2.5 away). Plus -3.
const ch1 = [
  [-3, -3, -2, -2, -2],
  [-2, -2, 0, -1, 0],
  [-2, -2, 2, 1, 1],
  [-4, -5, -5, -3, -3],
  [-5, -5, -6, -3, -3],
];
/** NHWC bytes of the top-left rows x cols of both channels. */
const interleave = (rows: number, cols: number) => Array.from({ length: rows * cols }, (_, i) => [ch0[Math.floor(i / cols)]![i % cols]!, ch1[Math.floor(i / cols)]![i % cols]!]).flat();

describe('TRANSPOSE_CONV int8: 1x2x2x1 input, 3x3 filter, stride 2, per-channel weights', () => {
  describe('VALID: output 5x5 = (2 - 1)·2 + 3, TFLM pads nothing', () => {
    const compiled = compileModel({ modelPath: writeModel('int8_valid', [int8Layer(VALID, [1, 5, 5, 2])]) });
    itGivesHandDerivedBytes(compiled, [int8Input], Buffer.from(Int8Array.from(interleave(5, 5)).buffer));
  });

  describe('SAME: output 4x4; TFLM pads (1·2 + 3 - 4) / 2 = 0 before, so it is the VALID output cut to 4x4', () => {
    const compiled = compileModel({ modelPath: writeModel('int8_same', [int8Layer(SAME, [1, 4, 4, 2])]) });
    itGivesHandDerivedBytes(compiled, [int8Input], Buffer.from(Int8Array.from(interleave(4, 4)).buffer));
  });

  describe('SAME, stride 1: output 2x2, pad (1 + 3 - 2) / 2 = 1; per-tensor weights, fused RELU', () => {
    // out(oy, ox) = sum of v[iy][ix] · w[oy + 1 - iy][ox + 1 - ix] with w = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]:
    // (0,0): 2·5 + 4·4 - 2·2 = 22; (0,1): 2·6 + 4·5 - 2·3 = 26; (1,0): 2·8 + 4·7 - 2·5 = 34;
    // (1,1): 2·9 + 4·8 - 2·6 = 38. Bias -30: [-8, -4, 4, 8]; M = 0.5 · 0.25 / 0.5 = 0.25:
    // [-2, -1, 1, 2]; z_y = 3 gives [1, 2, 4, 5], and RELU clamps at the zero point: [3, 3, 4, 5].
    const layer: Layer = {
      x: { shape: [1, 2, 2, 1], scale: 0.5, zeroPoint: 1 },
      y: { shape: [1, 2, 2, 1], scale: 0.5, zeroPoint: 3 },
      weightShape: [1, 3, 3, 1],
      weights: Int8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]),
      weightScales: [0.25],
      bias: Int32Array.from([-30]),
      padding: SAME,
      stride: [1, 1],
      activation: RELU,
    };
    const compiled = compileModel({ modelPath: writeModel('int8_same_stride1', [layer]) });
    itGivesHandDerivedBytes(compiled, [int8Input], Buffer.from(Int8Array.from([3, 3, 4, 5]).buffer));
  });

  describe('the int32 sum wraps as TFLM\'s int32 scratch does: 65800 channels of (127 + 128) · -128', () => {
    // acc = -32640 · 65800 = -2147712000, below -2^31: it wraps to 2147255296. M = 2^-24 (2^30, shift
    // -23): SRDHM gives 1073627648, RDBPOT(., 23) = 127.99 → 128 → 127 saturated. The exact sum would give -128.
    const channels = 65800;
    const layer: Layer = {
      x: { shape: [1, 1, 1, channels], scale: 1, zeroPoint: -128 },
      y: { shape: [1, 1, 1, 1], scale: 1 },
      weightShape: [1, 1, 1, channels],
      weights: new Int8Array(channels).fill(-128),
      weightScales: [2 ** -24],
      padding: VALID,
      stride: [1, 1],
    };
    const compiled = compileModel({ modelPath: writeModel('int8_wrap', [layer]) });
    itGivesHandDerivedBytes(compiled, [bytesOf(new Int8Array(channels).fill(127))], Buffer.from(Int8Array.from([127]).buffer));
  });
});

/**
 * The 16x8 hand case: input 1x1x2x1 [20000, -20000], filter 1x2 [5, -3], stride [1, 2], VALID:
 * output 1x1x4x1 = [20000·5, 20000·-3, -20000·5, -20000·-3] + bias 4 = [100004, -59996, -99996, 60004].
 * s_x = s_y = 1, s_w = fround(0.3) = 0.300000011920928955078125: M = 1288490240 (= 0.6000000238 · 2^31),
 * shift -1; the 15-bit multiplier is (M + 2^15) >> 16 = 19661, and y = (acc · 19661 + 2^15) >> 16:
 * 100004 → 30002 (the int32 path's double rounding gives 30001: SRDHM 60002.40 → 60002, halved);
 * -59996 → -17999; -99996 → -29999; 60004 → 18001.
 */
const sixteenLayer = (bias: BigInt64Array | Int16Array, activation = 0): Layer => ({
  sixteen: true,
  x: { shape: [1, 1, 2, 1], scale: 1 },
  y: { shape: [1, 1, 4, 1], scale: 1 },
  weightShape: [1, 1, 2, 1],
  weights: Int8Array.from([5, -3]),
  weightScales: [0.3],
  bias,
  padding: VALID,
  stride: [1, 2],
  activation,
});
const sixteenInput = bytesOf(Int16Array.from([20000, -20000]));

describe('TRANSPOSE_CONV 16x8: TFLM\'s int64 requantization (15-bit multiplier, one rounding)', () => {
  describe('int64 bias', () => {
    const compiled = compileModel({ modelPath: writeModel('s16_bias64', [sixteenLayer(BigInt64Array.from([4n]))]) });
    itGivesHandDerivedBytes(compiled, [sixteenInput], Buffer.from(Int16Array.from([30002, -17999, -29999, 18001]).buffer));
  });

  describe('int16 bias (TFLM widens it to int64), fused RELU: negatives clamp to 0', () => {
    const compiled = compileModel({ modelPath: writeModel('s16_bias16_relu', [sixteenLayer(Int16Array.from([4]), RELU)]) });
    itGivesHandDerivedBytes(compiled, [sixteenInput], Buffer.from(Int16Array.from([30002, 0, 0, 18001]).buffer));
  });
});

describe('TRANSPOSE_CONV import', () => {
  const load = (layers: Layer[], bindings = new Map<string, number[]>()) => loadTfliteBytes(buildTflite(model(layers)), 'tconv.tflite', bindings);
  const attrsOf = (layer: Layer) => load([layer]).graph.nodes[0]!.attrs;
  const geometry = (padding: number, out: [number, number], kernel: [number, number], stride: [number, number]): Layer => ({
    x: { shape: [1, 1, 1, 1], scale: 1 },
    y: { shape: [1, ...out, 1], scale: 1 },
    weightShape: [1, ...kernel, 1],
    weights: new Int8Array(kernel[0] * kernel[1]),
    weightScales: [1],
    padding,
    stride,
  });

  it("takes TFLM's padding, computed from the output size", () => {
    // SAME 4 / 3 / 2: windows (4 + 1) / 2 = 2, total 2 + 3 - 4 = 1, pad 0. Stride 1 over 2: total 2, pad 1.
    expect(attrsOf(geometry(SAME, [4, 2], [3, 3], [2, 1])).pads).toEqual([0, 1]);
    // VALID where the output is smaller than the filter: out 1, k 8, s 4: windows trunc(-3 / 4) = 0,
    // total -4 + 8 - 1 = 3, pad 1 (C's division truncates). Width 5 / 3 / 1: total 0.
    expect(attrsOf(geometry(VALID, [1, 5], [8, 3], [4, 1])).pads).toEqual([1, 0]);
    // out 1, k 8, s 2: windows trunc(-5 / 2) = -2 < 0 fails TFLM's check, which leaves both pads 0.
    expect(attrsOf(geometry(VALID, [1, 2], [8, 4], [2, 1])).pads).toEqual([0, 0]);
  });

  it('counts the multiply-accumulates that land inside the output', () => {
    // 2x2 input, 3x3 filter, stride 2 into 4x4 (SAME): per axis, pixel 0 keeps 3 taps and pixel 1 keeps
    // 2 (its third falls at 4): 5 · 5 · 1 input channel · 2 output channels = 50.
    const graph = load([int8Layer(SAME, [1, 4, 4, 2])]).graph;
    expect(opDefinition('TFLiteTransposeConv').macs!(graph.nodes[0]!, graph)).toBe(50);
  });

  it('reads the output shape operand from a bound graph input, and refuses an unbound one', () => {
    const layer = { ...int8Layer(VALID, [1, 5, 5, 2]), shapeAsInput: true };
    const bound = load([layer], new Map([['shape0', [1, 5, 5, 2]]])).graph;
    expect(bound.inputs).toEqual(['x0']);
    expect(bound.nodes[0]!.op).toBe('TFLiteTransposeConv');
    expect(() => load([layer])).toThrow(/output shape 'shape0' must be a constant/);
    expect(() => load([layer], new Map([['shape0', [1, 5, 4, 2]]]))).toThrow(/output shape operand \[1,5,4,2\] differs from the output 'y0' as declared, \[1,5,5,2\]/);
  });

  const refusals: [string, Layer, RegExp][] = [
    ['an output shape operand unlike the declared output', { ...int8Layer(VALID, [1, 5, 5, 2]), outputShape: [1, 6, 6, 2] }, /differs from the output 'y0' as declared/],
    ['weights with a nonzero zero point (TFLM ignores it)', { ...int8Layer(VALID, [1, 5, 5, 2]), weightZeroPoints: [0, 1] }, /nonzero zero point/],
    ['per-channel scales for the wrong channel count', { ...int8Layer(VALID, [1, 5, 5, 2]), weightScales: [0.5, 0.5, 0.5] }, /3 scales/],
    ['an int64 bias on int8', { ...int8Layer(VALID, [1, 5, 5, 2]), bias: BigInt64Array.from([1n, 2n]) }, /must be int32 with 2 values, got int64/],
    ['an int32 bias on 16x8 (TFLM would read it as int64)', { ...sixteenLayer(BigInt64Array.from([4n])), bias: Int32Array.from([4]) }, /must be int64 or int16 with 1 values, got int32/],
    ['a 16x8 activation with a nonzero zero point', { ...sixteenLayer(BigInt64Array.from([4n])), y: { shape: [1, 1, 4, 1], scale: 1, zeroPoint: 5 } }, /'y0' has a nonzero zero point/],
    ['an int16 output of an int8 input', { ...int8Layer(VALID, [1, 5, 5, 2]), yType: INT16 }, /the output 'y0' is int16; TRANSPOSE_CONV writes its input's type, int8/],
    ['an output of another batch or channel count', int8Layer(VALID, [1, 5, 5, 3]), /must be \[1, h, w, 2\]/],
    ['a zero stride', { ...int8Layer(VALID, [1, 5, 5, 2]), stride: [0, 2] }, /strides \[0,2\] must be >= 1/],
    // 16x8 with s_x · s_w / s_y = 300: shift 9 is past TFLM's int64 requantization (shift < 8).
    ['a 16x8 multiplier of 2^8 or more', { ...sixteenLayer(BigInt64Array.from([4n])), y: { shape: [1, 1, 4, 1], scale: 0.001 } }, /too large for TFLM's TRANSPOSE_CONV/],
    ['a 16x8 bias beyond TFLM\'s int64 requantization (|acc| < 2^47)', sixteenLayer(BigInt64Array.from([2n ** 47n])), /outside TFLM's int64 requantization/],
  ];
  it.each(refusals)('refuses %s with one line', (_, layer, message) => {
    const attempt = () => {
      const path = writeModel('refused', [layer]);
      compileModel({ modelPath: path });
    };
    expect(attempt).toThrow(UserError);
    expect(attempt).toThrow(message);
  });
});

/**
 * Random weights, scales and bias for one layer of the differential test, scaled so that the outputs
 * spread over much of their type (a quarter of its range per standard deviation), a few saturating.
 */
function randomLayer(random: () => number, sixteen: boolean, geometry: { input: number[]; kernel: [number, number]; outC: number; stride: [number, number]; padding: number; output: [number, number] }, activation: number): Layer {
  const [n, , , inC] = geometry.input as [number, number, number, number];
  const [kh, kw] = geometry.kernel;
  const count = geometry.outC * kh * kw * inC;
  const weights = Int8Array.from({ length: count }, () => Math.floor(random() * 256) - 128);
  // The sum's standard deviation: about kh·kw·inC / (s_h·s_w) products of uniform x and w.
  const terms = Math.max(1, (kh * kw * inC) / (geometry.stride[0] * geometry.stride[1]));
  const accStd = Math.sqrt(terms) * 74 * (sixteen ? 18919 : 74);
  const [xScale, wScale] = [sixteen ? 0.0004 : 0.05, 0.006];
  const yScale = (xScale * wScale * accStd) / (sixteen ? 8192 : 32);
  return {
    sixteen,
    x: { shape: geometry.input, scale: xScale, zeroPoint: sixteen ? 0 : Math.floor(random() * 40) - 20 },
    y: { shape: [n, ...geometry.output, geometry.outC], scale: yScale, zeroPoint: sixteen ? 0 : Math.floor(random() * 40) - 20 },
    weightShape: [geometry.outC, kh, kw, inC],
    weights,
    weightScales: Array.from({ length: geometry.outC }, () => Math.fround(wScale * (0.5 + random()))),
    bias: sixteen
      ? BigInt64Array.from({ length: geometry.outC }, () => BigInt(Math.round((random() - 0.5) * accStd)))
      : Int32Array.from({ length: geometry.outC }, () => Math.round((random() - 0.5) * accStd)),
    padding: geometry.padding,
    stride: geometry.stride,
    activation,
  };
}

describe('TRANSPOSE_CONV in C equals the reference (host, ASan/UBSan)', () => {
  const geometries = [
    // SEANet's shape of layer: one row, stride 2 along the width, VALID.
    { input: [1, 1, 10, 16], kernel: [3, 4] as [number, number], outC: 8, stride: [1, 2] as [number, number], padding: VALID, output: [3, 22] as [number, number] },
    { input: [1, 3, 3, 5], kernel: [3, 3] as [number, number], outC: 3, stride: [2, 2] as [number, number], padding: SAME, output: [6, 6] as [number, number] },
    { input: [2, 2, 3, 4], kernel: [4, 4] as [number, number], outC: 7, stride: [2, 2] as [number, number], padding: SAME, output: [4, 6] as [number, number] },
    { input: [1, 4, 4, 3], kernel: [3, 3] as [number, number], outC: 2, stride: [1, 1] as [number, number], padding: SAME, output: [4, 4] as [number, number] },
    { input: [1, 3, 2, 6], kernel: [2, 5] as [number, number], outC: 4, stride: [3, 1] as [number, number], padding: VALID, output: [8, 6] as [number, number] },
    { input: [1, 2, 2, 1], kernel: [5, 5] as [number, number], outC: 1, stride: [3, 3] as [number, number], padding: SAME, output: [6, 6] as [number, number] },
    // An output the input does not fill (TFLM computes over the declared output whatever its size).
    { input: [1, 2, 2, 3], kernel: [3, 3] as [number, number], outC: 5, stride: [2, 2] as [number, number], padding: VALID, output: [7, 3] as [number, number] },
    // 600 input channels: the 16x8 dot product splits its int32 partial sums.
    { input: [1, 2, 1, 600], kernel: [2, 1] as [number, number], outC: 3, stride: [2, 1] as [number, number], padding: VALID, output: [4, 1] as [number, number] },
  ];

  for (const sixteen of [false, true]) {
    it(`${sixteen ? '16x8' : 'int8'}: ${geometries.length} layers, every output byte equal`, async () => {
      const random = seededRandom(sixteen ? 1616 : 88);
      const layers = geometries.map((g, i) => randomLayer(random, sixteen, g, i % 3 === 1 ? RELU : 0));
      const compiled = compileModel({ modelPath: writeModel(sixteen ? 'random_s16' : 'random_s8', layers) });
      expect(compiled.graph.nodes.filter((n) => n.op === 'TFLiteTransposeConv')).toHaveLength(geometries.length);
      const values: Value[][] = Array.from({ length: 4 }, () => randomInputs(compiled.graph, random));
      const host = await buildHostModel(compiled);
      try {
        expect(await hostMismatches(compiled, host, values)).toBe(0);
      } finally {
        host.dispose();
      }
    }, 120_000);
  }
});
