/**
 * 16x8 FULLY_CONNECTED (int16 input, int8 weights, int64 or int32 bias): imported as a 1x1
 * Conv16x8 between two views. The multiplier follows TFLM: per-tensor weights form s_x · s_w in
 * float32 first (GetQuantizedConvolutionMultipler), per-channel ones in double. Hand derivations,
 * and the C against the reference on the host.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTflite, type TensorSpec } from '../helpers/tflite-builder.ts';
import { BuiltinOperator, TensorType } from '../../src/frontend/tflite/schema.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { conv16x8 } from '../../src/ops/conv-16x8/index.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { randomRecords, referenceRecords } from '../../src/validate/records.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-fc16-'));
const { INT8, INT16, INT32, INT64 } = TensorType;

interface FcCase {
  rows: number;
  weights: Int8Array;
  n: number;
  bias?: BigInt64Array | Int32Array;
  scales: { x: number; w: number[]; y: number };
  /** The input's zero point (0 when not given). */
  xZeroPoint?: number;
}

function fcModel(name: string, c: FcCase): string {
  const k = c.weights.length / c.n;
  const tensors: TensorSpec[] = [
    { name: 'x', type: INT16, shape: [c.rows, k], scale: [c.scales.x], zeroPoint: [c.xZeroPoint ?? 0] },
    { name: 'w', type: INT8, shape: [c.n, k], data: c.weights, scale: c.scales.w, zeroPoint: c.scales.w.map(() => 0), quantizedDimension: 0 },
    { name: 'y', type: INT16, shape: [c.rows, c.n], scale: [c.scales.y], zeroPoint: [0] },
  ];
  if (c.bias) tensors.push({ name: 'b', type: c.bias instanceof BigInt64Array ? INT64 : INT32, shape: [c.n], data: c.bias });
  const path = join(dir, `${name}.tflite`);
  writeFileSync(path, buildTflite({ tensors, operators: [{ code: BuiltinOperator.FULLY_CONNECTED, inputs: [0, 1, c.bias ? 3 : -1], outputs: [2] }], inputs: [0], outputs: [2] }));
  return path;
}

const convParams = (path: string) => {
  const compiled = compileModel({ modelPath: path });
  const conv = compiled.graph.nodes.find((n) => n.op === 'Conv16x8')!;
  return conv16x8.paramsOf(conv);
};

describe('16x8 FULLY_CONNECTED', () => {
  it("per-tensor weights: TFLM's float32 product s_x · s_w; per-channel: double", () => {
    // From TFLM's own QuantizeMultiplier on s_x = 0.000123f, s_w = 0.0071f, s_y = 0.00051f:
    // float32(s_x · s_w) / s_y gives (1882752144, -9); the double product gives (1882752123, -9).
    const scales = { x: 0.000123, w: [0.0071], y: 0.00051 };
    const weights = new Int8Array([1, 2, 3, 4]);
    expect(convParams(fcModel('per_tensor', { rows: 1, n: 2, weights, scales })).multipliers[0]).toEqual({ multiplier: 1882752144, shift: -9 });
    expect(convParams(fcModel('per_channel', { rows: 1, n: 2, weights, scales: { ...scales, w: [0.0071, 0.0071] } })).multipliers[0]).toEqual({ multiplier: 1882752123, shift: -9 });
  });

  it('sums, bias and requantization by hand: s_x · s_w / s_y = 0.25, two rows', () => {
    // Row 0: [1000, -2000, 3000] · [1, 2, 3] + 100 = 6100 → (6100 · 2^14 + 2^15) >> 16 = 1525;
    //        [1000, -2000, 3000] · [-1, 0, 1] - 100 = 1900 → 475.
    // Row 1: [-4, 0, 2] · [1, 2, 3] + 100 = 102 → (102 · 2^14 + 2^15) >> 16 = 26 (25.5 rounds up);
    //        [-4, 0, 2] · [-1, 0, 1] - 100 = -94 → (-94 · 2^14 + 2^15) >> 16 = -23 (-23.5 rounds up).
    const path = fcModel('by_hand', { rows: 2, n: 2, weights: new Int8Array([1, 2, 3, -1, 0, 1]), bias: new BigInt64Array([100n, -100n]), scales: { x: 0.5, w: [0.5], y: 1 } });
    const compiled = compileModel({ modelPath: path });
    const [y] = runReference(compiled.graph, [{ dtype: 'int16', shape: [2, 3], data: Int16Array.from([1000, -2000, 3000, -4, 0, 2]) }]).outputs;
    expect(y!.shape).toEqual([2, 2]);
    expect(Array.from(y!.data as Int16Array)).toEqual([1525, 475, 26, -23]);
  });

  it("an input zero point, as TFLM's int8 → int16 SOFTMAX leaves (-32768), is applied: w · (x + 32768) summed in int64", () => {
    // Row [0, 1] · [1, 2] with input_offset 32768: (0 + 32768) · 1 + (1 + 32768) · 2 = 98306, + 100
    // = 98406 → (98406 · 2^14 + 2^15) >> 16 = 24602 (24601.5 rounds up); without the offset it would be
    // (2 + 100) / 4 → 26. With no bias: 98306 / 4 = 24576.5 → 24577.
    const scales = { x: 0.5, w: [0.5], y: 1 };
    const input = [{ dtype: 'int16' as const, shape: [1, 2], data: Int16Array.from([0, 1]) }];
    for (const [name, bias, want] of [['zp_bias', new BigInt64Array([100n]), 24602], ['zp_no_bias', undefined, 24577]] as const) {
      const compiled = compileModel({ modelPath: fcModel(name, { rows: 1, n: 1, weights: new Int8Array([1, 2]), bias, scales, xZeroPoint: -32768 }) });
      expect(Array.from(runReference(compiled.graph, input).outputs[0]!.data as Int16Array), name).toEqual([want]);
    }
    // TFLM takes its int32 path with an int32 bias; tinygen does not fold the offset there.
    const int32Bias = fcModel('zp_int32_bias', { rows: 1, n: 1, weights: new Int8Array([1, 2]), bias: new Int32Array([100]), scales, xZeroPoint: -32768 });
    expect(() => compileModel({ modelPath: int32Bias })).toThrow(/input has zero point -32768; tinygen's 16x8 FULLY_CONNECTED folds it into an int64 bias, and 'b' is int32/);
  });

  it.each([
    ['per-tensor, int64 bias', { x: 0.0011, w: [0.013], y: 0.02 }, 'int64'],
    ['per-channel, int64 bias', { x: 0.0011, w: [0.013, 0.02, 0.007, 0.011, 0.017, 0.009, 0.015], y: 0.02 }, 'int64'],
    ['per-tensor, int32 bias', { x: 0.0011, w: [0.013], y: 0.02 }, 'int32'],
  ] as const)('%s: the C equals the reference (host, ASan/UBSan)', async (name, scales, biasType) => {
    const n = 7;
    const k = 40;
    const weights = Int8Array.from({ length: n * k }, (_, i) => ((i * 37) % 255) - 127);
    const values = Array.from({ length: n }, (_, i) => (i - 3) * 12345);
    const bias = biasType === 'int64' ? BigInt64Array.from(values.map(BigInt)) : Int32Array.from(values);
    const compiled = compileModel({ modelPath: fcModel(name.replace(/\W+/g, '_'), { rows: 3, n, weights, bias, scales: { ...scales, w: [...scales.w] } }) });
    const records = randomRecords(compiled.graph, 4, 9);
    const host = await buildHostModel(compiled);
    try {
      expect(Buffer.from(await host.run(Buffer.concat(records)))).toEqual(Buffer.concat(referenceRecords(compiled.graph, records)));
    } finally {
      host.dispose();
    }
  });
});
