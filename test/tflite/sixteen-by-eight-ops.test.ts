/**
 * The 16x8 forms of TFLite's data-movement and boundary operators: QUANTIZE from float32 to int16,
 * DEQUANTIZE from int16, RELU (requantizing, as TFLM's int16 kernel does when the quantizations
 * differ) and RELU6 (clamping the raw values with the input's quantization only), TRANSPOSE,
 * CONCATENATION, RESHAPE and MUL. Hand derivations per operator, then one network of all of them whose
 * C equals the reference on the host.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTflite, concatenationOptions, type OperatorSpec, type TensorSpec } from '../helpers/tflite-builder.ts';
import { BuiltinOperator, TensorType } from '../../src/frontend/tflite/schema.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import type { Value } from '../../src/ops/op.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { randomRecords, referenceRecords } from '../../src/validate/records.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-16x8-ops-'));
const { FLOAT32, INT16, INT32 } = TensorType;
const { ADD, CONCATENATION, DEQUANTIZE, MUL, QUANTIZE, RELU, RELU6, RESHAPE, SUB, TRANSPOSE } = BuiltinOperator;

let models = 0;
function model(tensors: TensorSpec[], operators: OperatorSpec[], inputs: number[], outputs: number[]): string {
  const path = join(dir, `m${models++}.tflite`);
  writeFileSync(path, buildTflite({ tensors, operators, inputs, outputs }));
  return path;
}

const int16 = (name: string, shape: number[], scale: number): TensorSpec => ({ name, type: INT16, shape, scale: [scale], zeroPoint: [0] });

/** The reference's first output on the given inputs. */
function run(path: string, inputs: Value[]): number[] {
  const [y] = runReference(compileModel({ modelPath: path }).graph, inputs).outputs;
  return Array.from(y!.data as ArrayLike<number>);
}

const values16 = (shape: number[], data: number[]): Value => ({ dtype: 'int16', shape, data: Int16Array.from(data) });

describe('16x8 boundary and data-movement operators', () => {
  it('QUANTIZE float32 → int16: x / s rounded half away from zero, saturated to int16', () => {
    const path = model([{ name: 'x', type: FLOAT32, shape: [5] }, int16('q', [5], 0.5)], [{ code: QUANTIZE, inputs: [0], outputs: [1] }], [0], [1]);
    // 2.5 → 3, -2.5 → -3, 40000 → 32767, -40000 → -32768, 1.5 → 2.
    expect(run(path, [{ dtype: 'float32', shape: [5], data: Float32Array.from([1.25, -1.25, 20000, -20000, 0.75]) }])).toEqual([3, -3, 32767, -32768, 2]);
  });

  it('DEQUANTIZE int16 → float32: s · (x - z)', () => {
    const path = model([int16('q', [3], 0.5), { name: 'y', type: FLOAT32, shape: [3] }], [{ code: DEQUANTIZE, inputs: [0], outputs: [1] }], [0], [1]);
    expect(run(path, [values16([3], [3, -32768, 32767])])).toEqual([1.5, -16384, 16383.5]);
  });

  it('RELU6 clamps the raw values to [z_x, round(6 / s_x) + z_x], whatever the output quantization', () => {
    // s_x = 2^-10: 6 / s_x = 6144. The output's own scale (0.002) plays no part.
    const path = model([int16('x', [3], 2 ** -10), int16('y', [3], 0.002)], [{ code: RELU6, inputs: [0], outputs: [1] }], [0], [1]);
    expect(run(path, [values16([3], [-5, 100, 7000])])).toEqual([0, 100, 6144]);
  });

  it('RELU with another output scale requantizes (s_x / s_y = 2: 2^30 with shift 2), saturating at int16', () => {
    const path = model([int16('x', [4], 0.5), int16('y', [4], 0.25)], [{ code: RELU, inputs: [0], outputs: [1] }], [0], [1]);
    expect(run(path, [values16([4], [-100, 3, 10000, 20000])])).toEqual([0, 6, 20000, 32767]);
  });

  it('RELU whose left shift wraps: TFLM requantizes every x, wrapping, then clamps to [z_y, 32767]', () => {
    // s_x / s_y = 2^20 = 0.5 · 2^21: M = 2^30, s = 21, SRDHM(v, 2^30) = v / 2 (v even).
    // -1100 · 2^21 = -2306867200 wraps to 1988100096 → 994050048 → 32767 (a negative x made positive);
    // -1000 · 2^21 = -2097152000 fits → negative → 0; 1100 · 2^21 wraps to -1988100096 → 0.
    const path = model([int16('x', [4], 1), int16('y', [4], 2 ** -20)], [{ code: RELU, inputs: [0], outputs: [1] }], [0], [1]);
    expect(run(path, [values16([4], [-1100, -1000, 0, 1100])])).toEqual([32767, 0, 0, 0]);
  });

  it('TRANSPOSE and CONCATENATION move int16 values whole', () => {
    const transpose = model(
      [int16('x', [2, 3], 1), { name: 'perm', type: INT32, shape: [2], data: Int32Array.from([1, 0]) }, int16('y', [3, 2], 1)],
      [{ code: TRANSPOSE, inputs: [0, 1], outputs: [2] }],
      [0],
      [2],
    );
    expect(run(transpose, [values16([2, 3], [1000, -2000, 3000, 32767, -32768, 5])])).toEqual([1000, 32767, -2000, -32768, 3000, 5]);
    const concat = model([int16('a', [1, 2], 1), int16('b', [1, 1], 1), int16('y', [1, 3], 1)], [{ code: CONCATENATION, inputs: [0, 1], outputs: [2], options: concatenationOptions(1) }], [0, 1], [2]);
    expect(run(concat, [values16([1, 2], [-30000, 300]), values16([1, 1], [30000])])).toEqual([-30000, 300, 30000]);
  });

  it('CONCATENATION copies int16 inputs of other scales unscaled, as TFLM (it checks only zero points of 0)', () => {
    // a at 0.001, b at 0.004, y at 0.002: TFLM copies the values, so b's 30000 (real 120) stays 30000
    // (real 60 under y's scale); a requantizing concatenation would give 32767 for it and 150 for a's 300.
    const concat = model([int16('a', [1, 2], 0.001), int16('b', [1, 1], 0.004), int16('y', [1, 3], 0.002)], [{ code: CONCATENATION, inputs: [0, 1], outputs: [2], options: concatenationOptions(1) }], [0, 1], [2]);
    expect(run(concat, [values16([1, 2], [-30000, 300]), values16([1, 1], [30000])])).toEqual([-30000, 300, 30000]);
    const shifted = model(
      [int16('a', [1, 2], 0.001), { ...int16('b', [1, 1], 0.001), zeroPoint: [5] }, int16('y', [1, 3], 0.001)],
      [{ code: CONCATENATION, inputs: [0, 1], outputs: [2], options: concatenationOptions(1) }],
      [0, 1],
      [2],
    );
    expect(() => compileModel({ modelPath: shifted })).toThrow(/int16 CONCATENATION needs zero points of 0 \(TFLM's kernel refuses others\), found 0, 5, 0/);
  });

  it('MUL int16: one multiplier of s_a · s_b / s_y, double rounding, saturated; broadcasting', () => {
    const mul = (sy: number, shapeB: number[]) =>
      model([int16('a', [2, 3], 0.5), int16('b', shapeB, 0.25), int16('y', [2, 3], sy)], [{ code: MUL, inputs: [0, 1], outputs: [2] }], [0, 1], [2]);
    // s_y = 1/8: ratio 1 (2^30, shift 1), exact: 100·3, -300·7, 200·200 = 40000 → 32767, and row two.
    const a = values16([2, 3], [100, -300, 200, 5, -2, 1]);
    expect(run(mul(0.125, [2, 3]), [a, values16([2, 3], [3, 7, 200, 1, 1, 0])])).toEqual([300, -2100, 32767, 5, -2, 0]);
    // s_y = 1/2: ratio 1/4 (2^30, shift -1): 5 · 1 = 5 → SRDHM 3 (2.5 up), RDBPOT(3, 1) = 2; -2 → -0.5 → -1; b broadcast over rows.
    expect(run(mul(0.5, [3]), [values16([2, 3], [5, -2, 400, 5, -2, 400]), values16([3], [1, 1, 1])])).toEqual([2, -1, 100, 2, -1, 100]);
  });

  it('MUL int16 in C equals the reference, broadcast and not (host, ASan/UBSan)', async () => {
    const path = model(
      [int16('a', [4, 16], 0.01), int16('b', [16], 0.02), int16('ab', [4, 16], 0.05), int16('y', [4, 16], 0.3)],
      [
        { code: MUL, inputs: [0, 1], outputs: [2] },
        { code: MUL, inputs: [2, 0], outputs: [3] },
      ],
      [0, 1],
      [3],
    );
    const compiled = compileModel({ modelPath: path });
    const records = randomRecords(compiled.graph, 5, 12);
    const host = await buildHostModel(compiled);
    try {
      expect(Buffer.from(await host.run(Buffer.concat(records)))).toEqual(Buffer.concat(referenceRecords(compiled.graph, records)));
    } finally {
      host.dispose();
    }
  });

  it('MUL, ADD and SUB int16 with a constant int16 operand: the C (int16_t arrays) equals the reference (host)', async () => {
    // The constant operand's C array was declared int8_t for MUL, which gcc -Werror rejects
    // (found by npm run tflm-diff --host-c).
    const constant = { ...int16('k', [16], 0.02), data: Int16Array.from({ length: 16 }, (_, i) => (i * 4099) % 65536 - 32768) };
    const path = model(
      [int16('a', [4, 16], 0.01), constant, int16('m', [4, 16], 0.05), int16('s', [4, 16], 0.08), int16('y', [4, 16], 0.1)],
      [
        { code: MUL, inputs: [0, 1], outputs: [2] },
        { code: SUB, inputs: [1, 2], outputs: [3] },
        { code: ADD, inputs: [3, 1], outputs: [4] },
      ],
      [0],
      [4],
    );
    const compiled = compileModel({ modelPath: path });
    const records = randomRecords(compiled.graph, 7, 6);
    const host = await buildHostModel(compiled);
    try {
      expect(Buffer.from(await host.run(Buffer.concat(records)))).toEqual(Buffer.concat(referenceRecords(compiled.graph, records)));
    } finally {
      host.dispose();
    }
  });

  it('a network of them (QUANTIZE, RELU6, TRANSPOSE, RESHAPE, CONCATENATION, RELU, DEQUANTIZE): C equals the reference on the host', async () => {
    const s = 2 ** -8;
    const path = model(
      [
        { name: 'x', type: FLOAT32, shape: [2, 8] },
        int16('q', [2, 8], s),
        int16('r6', [2, 8], s),
        { name: 'perm', type: INT32, shape: [2], data: Int32Array.from([1, 0]) },
        int16('t', [8, 2], s),
        int16('flat', [16], s),
        int16('cat', [32], s),
        int16('relu', [32], s / 2),
        { name: 'y', type: FLOAT32, shape: [32] },
        { name: 'shape', type: INT32, shape: [1], data: Int32Array.from([16]) },
      ],
      [
        { code: QUANTIZE, inputs: [0], outputs: [1] },
        { code: RELU6, inputs: [1], outputs: [2] },
        { code: TRANSPOSE, inputs: [2, 3], outputs: [4] },
        { code: RESHAPE, inputs: [4, 9], outputs: [5] },
        { code: CONCATENATION, inputs: [5, 5], outputs: [6], options: concatenationOptions(0) },
        { code: RELU, inputs: [6], outputs: [7] },
        { code: DEQUANTIZE, inputs: [7], outputs: [8] },
      ],
      [0],
      [8],
    );
    const compiled = compileModel({ modelPath: path });
    const records = randomRecords(compiled.graph, 6, 3);
    const host = await buildHostModel(compiled);
    try {
      expect(Buffer.from(await host.run(Buffer.concat(records)))).toEqual(Buffer.concat(referenceRecords(compiled.graph, records)));
    } finally {
      host.dispose();
    }
  });
});
