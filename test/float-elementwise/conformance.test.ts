/**
 * ONNX's own node tests for Add, Sub, Mul, Div, Relu, Clip, LeakyRelu, HardSigmoid, HardSwish,
 * Sigmoid, Tanh and Softmax (expected outputs from ONNX's backend test data, compared within its
 * tolerance, rtol 1e-3 and atol 1e-7, integers exactly), through the conformance runner: every test
 * through the reference, a sample of them through the host-built C as well. The uint32 and uint64
 * tests have element types tinygen's IR does not hold; they must be reported unsupported.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runConformanceTest } from '../../src/conformance/run.ts';
import { SHARED } from '../helpers/paths.ts';

const ROOT = join(SHARED, 'conformance', 'onnx-node');
const ALL = readdirSync(ROOT)
  .filter((d) => /^test_(add|sub|mul|div|relu|clip|leakyrelu|hardsigmoid|hardswish|sigmoid|tanh|softmax)(_|$)/.test(d))
  .sort();
const WIDE_UNSIGNED = ALL.filter((d) => /_uint(32|64)$/.test(d));
const SUPPORTED = ALL.filter((d) => !WIDE_UNSIGNED.includes(d));
const WITH_C = ['test_add_bcast', 'test_sub_int8', 'test_div_uint8', 'test_div_int32_trunc', 'test_clip_default_int8_min', 'test_hardswish', 'test_sigmoid', 'test_tanh', 'test_softmax_axis_1', 'test_softmax_large_number'];

describe('float elementwise ops vs ONNX conformance data', () => {
  it('finds the tests', () => {
    expect(SUPPORTED.length).toBe(51);
    expect(WIDE_UNSIGNED.length).toBe(8);
  });

  it('every supported test passes through the reference', async () => {
    const failures: string[] = [];
    for (const name of SUPPORTED) {
      const row = await runConformanceTest(join(ROOT, name), { rounding: 'onnx', hostC: false });
      if (row.status !== 'pass') failures.push(`${name}: ${row.status} ${row.reason}`);
    }
    expect(failures).toEqual([]);
  });

  it('a sample passes through the host-built C too', async () => {
    for (const name of WITH_C) {
      const row = await runConformanceTest(join(ROOT, name), { rounding: 'onnx', hostC: true });
      expect(`${name}: ${row.status} ${row.reason}`).toBe(`${name}: pass reference and host C`);
    }
  }, 60_000);

  it('uint32 and uint64 are unsupported, with the reason', async () => {
    for (const name of WIDE_UNSIGNED) {
      const row = await runConformanceTest(join(ROOT, name), { rounding: 'onnx', hostC: false });
      expect(row.status).toBe('unsupported');
      expect(row.reason).toMatch(/UINT(32|64) is not supported/);
    }
  });
});
