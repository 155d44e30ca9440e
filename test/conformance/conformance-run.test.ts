/**
 * The whole conformance run (reference and host C against ONNX's expected outputs), and the
 * table in docs/conformance.md kept equal to what the code produces.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceMarkdown, runConformanceTest, testDirs } from '../../src/conformance/run.ts';
import { mapInParallel } from '../../src/toolchain/parallel.ts';
import { DISPUTED } from '../../src/conformance/disputed.ts';
import { PACKAGE_ROOT } from '../../src/version.ts';
import { SHARED } from '../helpers/paths.ts';

const MUST_PASS = [
  'test_qlinearconv',
  'test_qlinearmatmul_2D_int8_float32',
  'test_qlinearmatmul_2D_uint8_float32',
  'test_qlinearmatmul_3D_int8_float32',
  'test_qlinearmatmul_3D_uint8_float32',
  'test_quantizelinear',
  'test_quantizelinear_axis',
  'test_dequantizelinear',
  'test_dequantizelinear_axis',
  'test_maxpool_2d_uint8',
];

describe('conformance run', () => {
  it('fails nothing, passes the quantized tests of supported ops, and matches docs/conformance.md', async () => {
    const dirs = ['onnx-node', 'extra'].flatMap((suite) => testDirs(join(SHARED, 'conformance', suite)));
    const rows = await mapInParallel(dirs, 2, (dir) => runConformanceTest(dir, { rounding: 'onnx', hostC: true }));
    expect(rows.length).toBeGreaterThan(300);
    // Only tests whose expected data is known to be wrong may fail (src/conformance/disputed.ts).
    expect(rows.filter((r) => r.status === 'fail' && !(r.test in DISPUTED))).toEqual([]);
    for (const test of MUST_PASS) expect(rows.find((r) => r.test === test)?.status, test).toBe('pass');
    const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'conformance.md'), 'utf8');
    expect(doc, 'docs/conformance.md is stale: run npm run conformance').toBe(conformanceMarkdown(rows, 'onnx'));
  }, 600_000);
});
