/**
 * TFLite's 16x8 forms of the elementwise ops: TFLiteLeakyRelu on int16 and TFLiteRequantize (QUANTIZE
 * between int8, int16 and int32). Hand derivations of TFLM's integer steps (QuantizeMultiplier of
 * the scale ratio; SaturatingRoundingDoublingHighMul, whose tie goes toward +inf; then
 * RoundingDivideByPOT, whose tie goes away from zero), and the C kernels against the reference on
 * the host under ASan/UBSan.
 */
import { describe, expect, it } from 'vitest';
import type { DType } from '../../src/ir/graph.ts';
import type { Value } from '../../src/ops/op.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { allocate } from '../../src/ops/common/values.ts';
import { seededRandom } from '../../src/util/random.ts';
import { compileGraph, hostMismatches, unaryGraph, type UnaryCase } from './graphs.ts';

/** The reference's outputs for the given inputs of one case. */
function outputs(c: UnaryCase, inputs: number[]): number[] {
  const compiled = compileGraph(unaryGraph([{ ...c, shape: [inputs.length] }]));
  const data = allocate(c.xType ?? 'int8', inputs.length) as Int8Array | Int16Array | Int32Array;
  data.set(inputs);
  const [y] = runReference(compiled.graph, [{ dtype: c.xType ?? 'int8', shape: [inputs.length], data }]).outputs;
  expect(y!.dtype).toBe(c.yType ?? 'int8');
  return Array.from(y!.data as Int8Array | Int16Array | Int32Array);
}

const leaky = (y: number): UnaryCase => ({ op: 'TFLiteLeakyRelu', shape: [1], x: { scale: 1, zeroPoint: 0 }, y: { scale: y, zeroPoint: 0 }, attrs: { alpha: 0.5 }, xType: 'int16', yType: 'int16' });

describe('TFLiteLeakyRelu on int16 (TFLM takes the int8 path with int16 bounds)', () => {
  it('s_x = 1, s_y = 4, alpha 0.5: identity 2^30 >> 1 and alpha 2^30 >> 2, results beyond int8', () => {
    // 1000 / 4: SRDHM(1000, 2^30) = 500, RDBPOT(500, 1) = 250, which int8 could not hold.
    // 32767 / 4: SRDHM = (32767 + 1) / 2 = 16384 (the tie up), RDBPOT(16384, 1) = 8192.
    // -32768 / 8 (alpha side): SRDHM = -(32769 * 2^30 - 1) / 2^31 = -16384.49.. → -16384, RDBPOT(-16384, 2) = -4096.
    // 6 / 4 = 1.5: SRDHM 3, RDBPOT(3, 1) = 1.5 → 2 (away from zero).
    expect(outputs(leaky(4), [1000, 32767, -32768, 6])).toEqual([250, 8192, -4096, 2]);
  });

  it('saturates at int16: s_y = 1/4 gives 10000 · 4 = 40000 → 32767, and -10000 · 2 = -20000 stays', () => {
    expect(outputs(leaky(0.25), [10000, -10000, -20000])).toEqual([32767, -20000, -32768]);
  });
});

const requantize = (xType: DType, yType: DType, x: { scale: number; zeroPoint: number }, y: { scale: number; zeroPoint: number }): UnaryCase => ({
  op: 'TFLiteRequantize',
  shape: [1],
  x,
  y,
  xType,
  yType,
});

describe('TFLiteRequantize: TFLM\'s Requantize between integer types', () => {
  it('int16 → int8, s_x / s_y = 0.5 (2^30, shift 0), z_x = 10, z_y = -5', () => {
    const c = requantize('int16', 'int8', { scale: 0.5, zeroPoint: 10 }, { scale: 1, zeroPoint: -5 });
    // x = 14: 4 · 0.5 = 2 (SRDHM(4, 2^30) = 2.5 → 2) → -3. x = 13: 1.5 → SRDHM 4·2^30 / 2^31 = 2 → -3.
    // x = 7: -1.5 → SRDHM = (-3 · 2^30 + 1 - 2^30) / 2^31 = -1.99.. → -1 (TFLM's tie toward +inf) → -6.
    // x = 1000: 495 - 5 → 127 (saturated). x = -32768: -16389 - 5 → -128.
    expect(outputs(c, [14, 13, 7, 1000, -32768])).toEqual([-3, -3, -6, 127, -128]);
  });

  it('int8 → int16, s_x / s_y = 256 (2^30, shift 9)', () => {
    const c = requantize('int8', 'int16', { scale: 1, zeroPoint: 0 }, { scale: 1 / 256, zeroPoint: 0 });
    // 127 << 9 = 65024, SRDHM(65024, 2^30) = 32512.5 → 32512; -128 << 9 → -32768.49.. → -32768; 1 → 256.
    expect(outputs(c, [127, -128, 1])).toEqual([32512, -32768, 256]);
  });

  it('int16 → int32, s_x / s_y = 2^12 (2^30, shift 13), z_y = 1000: exact multiples', () => {
    const c = requantize('int16', 'int32', { scale: 1, zeroPoint: 0 }, { scale: 2 ** -12, zeroPoint: 1000 });
    expect(outputs(c, [32767, -32768, 3])).toEqual([32767 * 4096 + 1000, -32768 * 4096 + 1000, 3 * 4096 + 1000]);
  });

  it('int32 → int16, s_x / s_y = 2^-16 (2^30, shift -15): ties away from zero, then saturation', () => {
    const c = requantize('int32', 'int16', { scale: 1, zeroPoint: 0 }, { scale: 65536, zeroPoint: 0 });
    // 98304 / 65536 = 1.5: SRDHM 49152.5 → 49152, RDBPOT(49152, 15) = 1.5 → 2; -1.5 → -2.
    // 2^31 - 1: SRDHM = 2^30, RDBPOT(2^30, 15) = 32768 → 32767.
    expect(outputs(c, [98304, -98304, 2 ** 31 - 1])).toEqual([2, -2, 32767]);
  });
});

describe('int16 kernels in C equal the reference (host, ASan/UBSan)', () => {
  const cases: UnaryCase[] = [
    { ...leaky(0.37), x: { scale: 0.011, zeroPoint: 3 }, y: { scale: 0.0093, zeroPoint: -7 }, shape: [4096] },
    { ...leaky(0.37), x: { scale: 0.011, zeroPoint: 0 }, y: { scale: 0.0093, zeroPoint: 0 }, attrs: { alpha: -0.3 }, shape: [4096] },
  ];
  const types: DType[] = ['int8', 'int16', 'int32'];
  for (const xType of types) {
    for (const yType of types) {
      if (xType === 'int8' && yType === 'int8') continue;
      cases.push({ ...requantize(xType, yType, { scale: 0.0173, zeroPoint: xType === 'int32' ? 1234 : 5 }, { scale: xType === 'int32' ? 29.1 : 0.0011, zeroPoint: -9 }), shape: [4096] });
    }
  }

  it(`${cases.length} layers: every output byte equal`, async () => {
    const compiled = compileGraph(unaryGraph(cases));
    const random = seededRandom(16);
    const values: Value[][] = Array.from({ length: 4 }, () => randomInputs(compiled.graph, random));
    const host = await buildHostModel(compiled);
    try {
      expect(await hostMismatches(compiled, host, values)).toBe(0);
    } finally {
      host.dispose();
    }
  });
});
