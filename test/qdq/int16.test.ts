/**
 * int16 QDQ (opset 21: QuantizeLinear / DequantizeLinear with int16 zero points, int8 weights, int64
 * or int32 biases behind DequantizeLinear). DQ → Conv → Q and DQ → Add → Q with int16 activations
 * import as TFLite's 16x8 ops: in tflite rounding a QDQ network gives the bytes of the same network
 * written as a 16x8 TFLite model, in the reference and in the host C. ONNX Runtime runs such
 * patterns in float, which tinygen does not reproduce: onnx rounding refuses them with one line.
 * QuantizeLinear and DequantizeLinear alone (float ↔ int16) equal ONNX Runtime.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { expectOneLineError } from '../helpers/one-line-error.ts';
import { ortKernel, runOrt } from '../helpers/ort.ts';
import { buildTflite, arithmeticOptions, conv2dOptions, depthwiseOptions, type TensorSpec } from '../helpers/tflite-builder.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { recordToValues, valuesToRecord } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { ActivationFunctionType, BuiltinOperator as Op, Padding, TensorType } from '../../src/frontend/tflite/schema.ts';

const [H, W, C, M] = [5, 6, 4, 8];
const random = seededRandom(21);
const ints = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + Math.floor(random() * (hi - lo + 1)));
const perChannel = (n: number, base: number) => Array.from({ length: n }, (_, c) => Math.fround(base * (1 + c / n)));

const s = { x: Math.fround(1 / 4096), y1: Math.fround(0.0009), y2: Math.fround(0.0021), y3: Math.fround(0.0025), y: Math.fround(0.004) };
const w1 = ints(M * C * 9, -127, 127); // OIHW
const w1s = perChannel(M, 0.01);
const b1 = ints(M, -(2 ** 20), 2 ** 20);
const w2 = ints(M * 9, -127, 127); // [M, 1, 3, 3]
const w2s = perChannel(M, 0.02);
const b2 = ints(M, -(2 ** 20), 2 ** 20);
const w3 = ints(M * M, -127, 127); // [M, M, 1, 1]
const w3s = perChannel(M, 0.015);
const b3 = ints(M, -(2 ** 14), 2 ** 14);

/** OIHW → OHWI (o, i, 3x3 or 1x1), or → [1][kh][kw][o] for the depthwise weight. */
function reorder(oihw: number[], o: number, i: number, k: number, order: 'ohwi' | 'hwo'): Int8Array {
  const out = new Int8Array(oihw.length);
  for (let oc = 0; oc < o; oc++)
    for (let ic = 0; ic < i; ic++)
      for (let y = 0; y < k; y++)
        for (let x = 0; x < k; x++) out[order === 'ohwi' ? ((oc * k + y) * k + x) * i + ic : (y * k + x) * o + oc] = oihw[((oc * i + ic) * k + y) * k + x]!;
  return out;
}

/**
 * x → conv 3x3 pad 1 (int64 bias) → Relu → y1; y1 → depthwise 3x3 pad 1 (int64 bias) → y2;
 * y1 + y2 → y3; y3 → conv 1x1 (int32 bias) → y. All activations int16 with zero point 0.
 */
function onnxModel(options: { zeroPoint?: number } = {}): Uint8Array {
  const g = new GraphBuilder();
  g.opset = 21;
  const z16 = (v = 0) => g.scalar(v, 'int16');
  const dq = (x: string, scale: string, zero?: string, axis?: number) => g.node('DequantizeLinear', zero === undefined ? [x, scale] : [x, scale, zero], axis === undefined ? {} : { axis })[0]!;
  const q = (x: string, scale: number) => g.node('QuantizeLinear', [x, g.scalar(scale), z16()])[0]!;
  const weight = (values: number[], shape: number[], scales: number[]) => dq(g.constant('int8', shape, values), g.constant('float32', [M], scales), g.constant('int8', [M], new Array(M).fill(0)), 0);
  const bias = (type: 'int64' | 'int32', values: number[], sIn: number, scales: number[]) =>
    dq(g.constant(type, [M], values), g.constant('float32', [M], scales.map((v) => Math.fround(sIn * v))), undefined, 0);

  const x = g.input('x', 'int16', [1, C, H, W]);
  const xf = dq(x, g.scalar(s.x), z16(options.zeroPoint ?? 0));
  const c1 = g.node('Conv', [xf, weight(w1, [M, C, 3, 3], w1s), bias('int64', b1, s.x, w1s)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })[0]!;
  const y1 = q(g.node('Relu', [c1])[0]!, s.y1);
  const y1f = dq(y1, g.scalar(s.y1), z16());
  const c2 = g.node('Conv', [y1f, weight(w2, [M, 1, 3, 3], w2s), bias('int64', b2, s.y1, w2s)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: M })[0]!;
  const y2f = dq(q(c2, s.y2), g.scalar(s.y2), z16());
  const y3f = dq(q(g.node('Add', [y1f, y2f])[0]!, s.y3), g.scalar(s.y3), z16());
  const c3 = g.node('Conv', [y3f, weight(w3, [M, M, 1, 1], w3s), bias('int32', b3, s.y3, w3s)], { kernel_shape: [1, 1] })[0]!;
  g.output(g.rename(q(c3, s.y), 'y'), 'int16', [1, M, H, W]);
  return g.encode();
}

function tfliteModel(): Uint8Array {
  const { INT8, INT16, INT32, INT64 } = TensorType;
  const act = (name: string, shape: number[], scale: number): TensorSpec => ({ name, type: INT16, shape, scale: [scale], zeroPoint: [0] });
  const weight = (name: string, shape: number[], data: Int8Array, scale: number[], axis: number): TensorSpec => ({ name, type: INT8, shape, data, scale, zeroPoint: scale.map(() => 0), quantizedDimension: axis });
  const tensors: TensorSpec[] = [
    act('x', [1, H, W, C], s.x),
    weight('w1', [M, 3, 3, C], reorder(w1, M, C, 3, 'ohwi'), w1s, 0),
    { name: 'b1', type: INT64, shape: [M], data: BigInt64Array.from(b1.map(BigInt)) },
    act('y1', [1, H, W, M], s.y1),
    weight('w2', [1, 3, 3, M], reorder(w2, M, 1, 3, 'hwo'), w2s, 3),
    { name: 'b2', type: INT64, shape: [M], data: BigInt64Array.from(b2.map(BigInt)) },
    act('y2', [1, H, W, M], s.y2),
    act('y3', [1, H, W, M], s.y3),
    weight('w3', [M, 1, 1, M], reorder(w3, M, M, 1, 'ohwi'), w3s, 0),
    { name: 'b3', type: INT32, shape: [M], data: Int32Array.from(b3) },
    act('y', [1, H, W, M], s.y),
  ];
  return buildTflite({
    tensors,
    operators: [
      { code: Op.CONV_2D, inputs: [0, 1, 2], outputs: [3], options: conv2dOptions({ padding: Padding.SAME, stride: [1, 1], activation: ActivationFunctionType.RELU }) },
      { code: Op.DEPTHWISE_CONV_2D, inputs: [3, 4, 5], outputs: [6], options: depthwiseOptions({ padding: Padding.SAME, stride: [1, 1], multiplier: 1 }) },
      { code: Op.ADD, inputs: [3, 6], outputs: [7], options: arithmeticOptions('AddOptions', ActivationFunctionType.NONE) },
      { code: Op.CONV_2D, inputs: [7, 8, 9], outputs: [10], options: conv2dOptions({ padding: Padding.VALID, stride: [1, 1] }) },
    ],
    inputs: [0],
    outputs: [10],
  });
}

function save(file: string, bytes: Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tinygen-qdq16-')), file);
  writeFileSync(path, bytes);
  return path;
}

/** NHWC record → NCHW record (int16, C channels), and NCHW → NHWC for [H, W, M]. */
function toNchw(nhwc: Int16Array, c: number): Int16Array {
  const out = new Int16Array(nhwc.length);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let k = 0; k < c; k++) out[(k * H + y) * W + x] = nhwc[(y * W + x) * c + k]!;
  return out;
}

describe('int16 QDQ Conv and Add in tflite rounding', () => {
  const onnxPath = save('net16.onnx', onnxModel());
  const onnx = compileModel({ modelPath: onnxPath, rounding: 'tflite' });
  const tflite = compileModel({ modelPath: save('net16.tflite', tfliteModel()), rounding: 'tflite' });
  const run = (compiled: typeof onnx, record: Int16Array) =>
    runReference(compiled.graph, recordToValues(compiled.graph, compiled.graph.inputs, new Uint8Array(record.buffer))).outputs[0]!.data as Int16Array;

  it('fuses into Conv16x8 and QLinearAdd, with no float op left', () => {
    const ops = onnx.graph.nodes.map((n) => n.op);
    expect(ops.filter((op) => op === 'Conv16x8')).toHaveLength(3);
    expect(ops.filter((op) => op === 'QLinearAdd')).toHaveLength(1);
    expect(ops.filter((op) => /Quantize|Float/.test(op))).toEqual([]);
  });

  it('gives the bytes of the same network as a 16x8 TFLite model on 16 random inputs', () => {
    const distinct = new Set<string>();
    let nonzero = 0;
    for (let i = 0; i < 16; i++) {
      const nhwc = Int16Array.from(ints(H * W * C, -32768, 32767));
      const fromTflite = run(tflite, nhwc);
      expect(toNchw(fromTflite, M)).toEqual(run(onnx, toNchw(nhwc, C)));
      distinct.add(Buffer.from(fromTflite.buffer).toString('hex'));
      nonzero += fromTflite.filter((v) => v !== 0).length;
    }
    expect(distinct.size).toBe(16);
    expect(nonzero).toBeGreaterThan(16 * H * W * M * 0.5);
  });

  it('runs the same bytes in the host C as in the reference', async () => {
    expect(await hostDiff(onnxPath, 'tflite', 8, 3)).toMatchObject({ mismatches: 0 });
  }, 120_000);

  it('refuses a nonzero int16 zero point (16x8 quantization has none)', () => {
    expect(() => compileModel({ modelPath: save('zp.onnx', onnxModel({ zeroPoint: 5 })), rounding: 'tflite' })).toThrow(/zero point 5.*16x8/);
  });
});

describe('int16 QDQ in onnx rounding', () => {
  it('refuses an int16 QDQ Conv with one line (exit 2): ONNX Runtime runs it in float', async () => {
    await expectOneLineError(mkdtempSync(join(tmpdir(), 'tinygen-qdq16-')), 'net16.onnx', onnxModel(), /int16 QDQ Conv runs in float in ONNX Runtime; compile with --rounding tflite for TFLite's 16x8 arithmetic/);
  });

  it('is right that ONNX Runtime leaves an int16 QDQ Conv unfused (float)', async () => {
    const g = new GraphBuilder();
    g.opset = 21;
    const x = g.input('x', 'int16', [1, 2, 4, 4]);
    const xf = g.node('DequantizeLinear', [x, g.scalar(0.01), g.scalar(0, 'int16')])[0]!;
    const wf = g.node('DequantizeLinear', [g.constant('int8', [2, 2, 1, 1], [1, 2, 3, 4]), g.scalar(0.1), g.scalar(0, 'int8')])[0]!;
    const y = g.node('QuantizeLinear', [g.node('Conv', [xf, wf], { kernel_shape: [1, 1] })[0]!, g.scalar(0.01), g.scalar(0, 'int16')])[0]!;
    g.output(g.rename(y, 'y'), 'int16', [1, 2, 4, 4]);
    expect(await ortKernel(save('conv16-ort.onnx', g.encode()), 'Conv', 5)).toBe('float');
  });

  it('refuses an int16 QDQ Add the same way', () => {
    const g = new GraphBuilder();
    g.opset = 21;
    const a = g.input('a', 'int16', [1, 4]);
    const b = g.input('b', 'int16', [1, 4]);
    const dq = (x: string) => g.node('DequantizeLinear', [x, g.scalar(0.01), g.scalar(0, 'int16')])[0]!;
    const sum = g.node('Add', [dq(a), dq(b)])[0]!;
    g.output(g.rename(g.node('QuantizeLinear', [sum, g.scalar(0.02), g.scalar(0, 'int16')])[0]!, 'y'), 'int16', [1, 4]);
    expect(() => compileModel({ modelPath: save('add16.onnx', g.encode()) })).toThrow(/int16 QDQ Add runs in float in ONNX Runtime; compile with --rounding tflite/);
  });

  /** float x → QuantizeLinear (int16) → q; q → DequantizeLinear → float d. */
  function qdqModel(scale: number, zeroPoint: number, n: number): string {
    const g = new GraphBuilder();
    g.opset = 21;
    const x = g.input('x', 'float32', [1, n]);
    const q = g.rename(g.node('QuantizeLinear', [x, g.scalar(scale), g.scalar(zeroPoint, 'int16')])[0]!, 'q');
    const d = g.rename(g.node('DequantizeLinear', [q, g.scalar(scale), g.scalar(zeroPoint, 'int16')])[0]!, 'd');
    g.output(q, 'int16', [1, n]);
    g.output(d, 'float32', [1, n]);
    return save('qdq16.onnx', g.encode());
  }

  for (const [scale, zeroPoint] of [
    [Math.fround(0.5), 0],
    [Math.fround(1 / 3000), -1234],
    [Math.fround(0.01), 32000],
  ] as const) {
    it(`QuantizeLinear and DequantizeLinear int16 equal ONNX Runtime (scale ${scale}, zero point ${zeroPoint}): ties to even, saturation`, async () => {
      const values: number[] = [];
      for (let k = -40; k <= 40; k++) values.push(Math.fround((k + 0.5) * scale)); // ties
      for (let k = 0; k < 60; k++) values.push(Math.fround((random() - 0.5) * 80000 * scale)); // in range and saturating
      values.push(1e30, -1e30, Infinity, -Infinity, 0, -0, 32767.5 * scale, -32768.5 * scale);
      const n = values.length;
      const path = qdqModel(scale, zeroPoint, n);
      const x = { dtype: 'float32' as const, shape: [1, n], data: Float32Array.from(values) };
      const [q, d] = await runOrt(path, ['x'], [x]);
      const compiled = compileModel({ modelPath: path, rounding: 'onnx' });
      const ours = runReference(compiled.graph, [x]).outputs;
      expect(Array.from(ours[0]!.data as Int16Array)).toEqual(Array.from(q!.data as Int16Array));
      expect(Array.from(ours[1]!.data as Float32Array)).toEqual(Array.from(d!.data as Float32Array));
      // Saturation reached on both ends, and the host C agrees with the reference.
      expect(Math.max(...(q!.data as Int16Array))).toBe(32767);
      expect(Math.min(...(q!.data as Int16Array))).toBe(-32768);
      expect(valuesToRecord(ours).length).toBe(n * 6);
    });
  }

  /**
   * Data movement between int16 DQ and Q with one quantization: Pad (constant, a float
   * constant_value), MaxPool, Concat, Transpose, Reshape. Exact in any rounding, as ONNX Runtime's
   * float ops between DQ and Q.
   */
  function movementModel(): string {
    const g = new GraphBuilder();
    g.opset = 21;
    const [scale, zp] = [Math.fround(0.002), -300];
    const dq = (x: string) => g.node('DequantizeLinear', [x, g.scalar(scale), g.scalar(zp, 'int16')])[0]!;
    const q = (x: string) => g.node('QuantizeLinear', [x, g.scalar(scale), g.scalar(zp, 'int16')])[0]!;
    const x = g.input('x', 'int16', [1, 3, 4, 5]);
    const padded = q(g.node('Pad', [dq(x), g.constant('int64', [8], [0, 0, 1, 0, 0, 0, 1, 2]), g.scalar(0.5)])[0]!); // [1, 3, 6, 7]
    const pooled = q(g.node('MaxPool', [dq(padded)], { kernel_shape: [2, 2], strides: [2, 2] })[0]!); // [1, 3, 3, 3]
    const joined = q(g.node('Concat', [dq(pooled), dq(pooled)], { axis: 1 })[0]!); // [1, 6, 3, 3]
    const moved = q(g.node('Transpose', [dq(joined)], { perm: [0, 2, 3, 1] })[0]!);
    const flat = q(g.node('Reshape', [dq(moved), g.constant('int64', [2], [1, -1])])[0]!);
    g.output(g.rename(flat, 'y'), 'int16', [1, 54]);
    return save('move16.onnx', g.encode());
  }

  it('Pad, MaxPool, Concat, Transpose and Reshape on int16 equal ONNX Runtime, and the host C the reference', async () => {
    const path = movementModel();
    const compiled = compileModel({ modelPath: path, rounding: 'onnx' });
    for (let i = 0; i < 4; i++) {
      const x = { dtype: 'int16' as const, shape: [1, 3, 4, 5], data: Int16Array.from(ints(60, -32768, 32767)) };
      const [want] = await runOrt(path, ['x'], [x]);
      expect(Array.from(runReference(compiled.graph, [x]).outputs[0]!.data as Int16Array)).toEqual(Array.from(want!.data as Int16Array));
    }
    expect(await hostDiff(path, 'onnx', 8, 7)).toMatchObject({ mismatches: 0 });
    expect(await hostDiff(path, 'tflite', 8, 7)).toMatchObject({ mismatches: 0 });
  }, 120_000);

  it('QuantizeLinear / DequantizeLinear int16 in the host C equal the reference', async () => {
    expect(await hostDiff(qdqModel(Math.fround(1 / 3000), -1234, 64), 'onnx', 8, 5)).toMatchObject({ mismatches: 0 });
  }, 120_000);
});
