/**
 * One small network written twice, as ONNX QOperator (NCHW, OIHW weights) and as TFLite (NHWC,
 * OHWI and 1HWC weights): conv 3x3 SAME with per-channel weights, max pool 2x2 stride 2,
 * depthwise 3x3 SAME with multiplier 2, average pool over the rest. In tflite rounding both must
 * give the same output bytes for the same input (transposed from NHWC to NCHW for ONNX).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { recordToValues, valuesToRecord } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { buildTflite, conv2dOptions, depthwiseOptions, pool2dOptions } from '../helpers/tflite-builder.ts';
import { TfliteSpecBuilder } from '../helpers/tflite-networks.ts';
import { BuiltinOperator as Op, Padding, TensorType } from '../../src/frontend/tflite/schema.ts';

const [H, W, C, M, D] = [6, 6, 3, 4, 2]; // input size and channels, conv outputs, depth multiplier
const random = seededRandom(11);
const ints = (count: number, lo: number, hi: number) => Array.from({ length: count }, () => lo + Math.floor(random() * (hi - lo + 1)));
const scales = (count: number) => Array.from({ length: count }, () => Math.fround(0.003 + random() * 0.01));

const convOihw = ints(M * C * 9, -70, 70);
const convScales = scales(M);
const convBias = ints(M, -500, 500);
const dwOihw = ints(M * D * 9, -70, 70); // [M·D, 1, 3, 3]
const dwScales = scales(M * D);
const dwBias = ints(M * D, -500, 500);
const q = { x: [0.05, -7], conv: [0.04, 3], dw: [0.03, -2] } as const;

/** OIHW → the given order of o, kh, kw, i axes (TFLite's OHWI, or 1HWO for depthwise with i = 1). */
function fromOihw(oihw: number[], o: number, i: number, order: 'ohwi' | 'hwo'): Int8Array {
  const out = new Int8Array(oihw.length);
  for (let oc = 0; oc < o; oc++)
    for (let ic = 0; ic < i; ic++)
      for (let y = 0; y < 3; y++)
        for (let x = 0; x < 3; x++) out[order === 'ohwi' ? ((oc * 3 + y) * 3 + x) * i + ic : (y * 3 + x) * o + oc] = oihw[((oc * i + ic) * 3 + y) * 3 + x]!;
  return out;
}

function onnxModel(): string {
  const g = new GraphBuilder();
  const x = g.input('x', 'int8', [1, C, H, W]);
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  const [conv] = g.node('QLinearConv', [x, s(q.x[0]), z(q.x[1]), g.constant('int8', [M, C, 3, 3], convOihw), g.constant('float32', [M], convScales), g.constant('int8', [M], convScales.map(() => 0)), s(q.conv[0]), z(q.conv[1]), g.constant('int32', [M], convBias)], {
    kernel_shape: [3, 3],
    pads: [1, 1, 1, 1],
  });
  const [pool] = g.node('MaxPool', [conv!], { kernel_shape: [2, 2], strides: [2, 2] });
  const [dw] = g.node('QLinearConv', [pool!, s(q.conv[0]), z(q.conv[1]), g.constant('int8', [M * D, 1, 3, 3], dwOihw), g.constant('float32', [M * D], dwScales), g.constant('int8', [M * D], dwScales.map(() => 0)), s(q.dw[0]), z(q.dw[1]), g.constant('int32', [M * D], dwBias)], {
    kernel_shape: [3, 3],
    pads: [1, 1, 1, 1],
    group: M,
  });
  const [avg] = g.node('QLinearAveragePool', [dw!, s(q.dw[0]), z(q.dw[1]), s(q.dw[0]), z(q.dw[1])], { kernel_shape: [3, 3] }, { domain: 'com.microsoft' });
  g.output(g.rename(avg!, 'y'), 'int8', [1, M * D, 1, 1]);
  return g.save('net.onnx');
}

function tfliteModel(): string {
  const b = new TfliteSpecBuilder(0);
  const act = (name: string, shape: number[], [scale, zero]: readonly [number, number]) => b.activation(name, shape, scale, zero);
  const x = act('x', [1, H, W, C], q.x);
  const conv = act('conv', [1, H, W, M], q.conv);
  const convW = b.tensor({ name: 'conv_w', type: TensorType.INT8, shape: [M, 3, 3, C], data: fromOihw(convOihw, M, C, 'ohwi'), scale: convScales, zeroPoint: convScales.map(() => 0), quantizedDimension: 0 });
  const convB = b.tensor({ name: 'conv_b', type: TensorType.INT32, shape: [M], data: Int32Array.from(convBias) });
  b.op(Op.CONV_2D, [x, convW, convB], [conv], conv2dOptions({ padding: Padding.SAME, stride: [1, 1] }));
  const pool = act('pool', [1, H / 2, W / 2, M], q.conv);
  b.op(Op.MAX_POOL_2D, [conv], [pool], pool2dOptions({ padding: Padding.VALID, stride: [2, 2], filter: [2, 2] }));
  const dw = act('dw', [1, H / 2, W / 2, M * D], q.dw);
  const dwW = b.tensor({ name: 'dw_w', type: TensorType.INT8, shape: [1, 3, 3, M * D], data: fromOihw(dwOihw, M * D, 1, 'hwo'), scale: dwScales, zeroPoint: dwScales.map(() => 0), quantizedDimension: 3 });
  const dwB = b.tensor({ name: 'dw_b', type: TensorType.INT32, shape: [M * D], data: Int32Array.from(dwBias) });
  b.op(Op.DEPTHWISE_CONV_2D, [pool, dwW, dwB], [dw], depthwiseOptions({ padding: Padding.SAME, stride: [1, 1], multiplier: D }));
  const y = act('y', [1, 1, 1, M * D], q.dw);
  b.op(Op.AVERAGE_POOL_2D, [dw], [y], pool2dOptions({ padding: Padding.VALID, stride: [1, 1], filter: [3, 3] }));
  const path = join(mkdtempSync(join(tmpdir(), 'tinygen-tflite-eq-')), 'net.tflite');
  writeFileSync(path, buildTflite(b.spec([x], [y])));
  return path;
}

/** NHWC record → NCHW record. */
function toNchw(nhwc: Int8Array): Int8Array {
  const out = new Int8Array(nhwc.length);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) out[(c * H + y) * W + x] = nhwc[(y * W + x) * C + c]!;
  return out;
}

describe('the same network as ONNX QOperator and as TFLite', () => {
  const onnx = compileModel({ modelPath: onnxModel(), rounding: 'tflite' });
  const tflite = compileModel({ modelPath: tfliteModel(), rounding: 'tflite' });
  const run = (compiled: typeof onnx, record: Int8Array) =>
    Buffer.from(valuesToRecord(runReference(compiled.graph, recordToValues(compiled.graph, compiled.graph.inputs, new Uint8Array(record.buffer))).outputs));

  it('gives identical output bytes in tflite rounding on 32 random inputs', () => {
    let distinct = new Set<string>();
    for (let i = 0; i < 32; i++) {
      const nhwc = Int8Array.from(ints(H * W * C, -128, 127));
      const fromTflite = run(tflite, nhwc);
      expect(run(onnx, toNchw(nhwc))).toEqual(fromTflite);
      distinct = distinct.add(fromTflite.toString('hex'));
    }
    // Not a constant output that any two models would share.
    expect(distinct.size).toBeGreaterThan(16);
  });
});
