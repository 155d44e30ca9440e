/**
 * ONNX's own conformance tests of the float pools (expected outputs from ONNX's backend test
 * data, checked within its tolerance): every one through the reference, a representative set
 * through the host-compiled C as well (each host build costs about half a second).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runConformanceTest } from '../../src/conformance/run.ts';
import { SHARED } from '../helpers/paths.ts';

const SUITE = join(SHARED, 'conformance', 'onnx-node');
const TESTS = readdirSync(SUITE).filter((d) => /^test_(averagepool|maxpool|globalaveragepool|globalmaxpool|reduce_mean)_?/.test(d));

/** The Indices output of MaxPool is not supported; everything else must pass. */
const UNSUPPORTED = new Set(['test_maxpool_with_argmax_2d_precomputed_pads', 'test_maxpool_with_argmax_2d_precomputed_strides']);

const HOST_C = [
  'test_averagepool_1d_default',
  'test_averagepool_2d_ceil_last_window_starts_on_pad',
  'test_averagepool_2d_same_lower',
  'test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_True',
  'test_maxpool_2d_precomputed_same_upper',
  'test_maxpool_3d_dilations_use_ref_impl_large',
  'test_globalaveragepool',
  'test_globalmaxpool_precomputed',
  'test_reduce_mean_default_axes_keepdims_random',
  'test_reduce_mean_negative_axes_keepdims_random',
];

describe('float pools: ONNX conformance data', () => {
  it('finds the tests', () => {
    expect(TESTS.length).toBe(51);
  });

  for (const name of TESTS) {
    it(`${name} (reference)`, async () => {
      const row = await runConformanceTest(join(SUITE, name), { rounding: 'onnx', hostC: false });
      if (UNSUPPORTED.has(name)) {
        expect(row.status).toBe('unsupported');
        expect(row.reason).toMatch(/MaxPool_0.*Indices output is not supported/);
      } else expect(row).toMatchObject({ status: 'pass', reason: 'reference' });
    });
  }

  for (const name of HOST_C) {
    it(`${name} (reference and host C)`, async () => {
      const row = await runConformanceTest(join(SUITE, name), { rounding: 'onnx', hostC: true });
      expect(row).toMatchObject({ status: 'pass', reason: 'reference and host C' });
    });
  }
});
