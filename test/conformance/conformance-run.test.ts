/**
 * The conformance run (reference and host C against ONNX's expected outputs), one test per ONNX
 * test folder, and the table in docs/conformance.md kept equal to what the code produces.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { conformanceMarkdown, runConformanceTest, testDirs, type ConformanceRow } from '../../src/conformance/run.ts';
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

/** Folders of ../shared/conformance/tflm-seanet whose every case must give TFLM's exact bytes. */
const TFLM_MUST_PASS = ['add', 'conv', 'leaky_relu', 'pad', 'quantize', 'strided_slice', 'sub', 'transpose_conv'];

const DIRS = ['onnx-node', 'extra', 'tflm-seanet'].flatMap((suite) => testDirs(join(SHARED, 'conformance', suite)));
// Each folder runs once (reference and host C), shared by its own test and the whole-table test.
const rows = new Map<string, Promise<ConformanceRow>>();
const rowOf = (dir: string): Promise<ConformanceRow> => {
  let row = rows.get(dir);
  if (!row) rows.set(dir, (row = runConformanceTest(dir, { rounding: 'onnx', hostC: true })));
  return row;
};

// One test per folder, run side by side: a failure names its case.
describe.concurrent('conformance run', () => {
  it.each(DIRS.map((dir) => [`${basename(dirname(dir))}/${basename(dir)}`, dir] as const))('%s', async (_, dir) => {
    const row = await rowOf(dir);
    // Only tests whose expected data is known to be wrong may fail (src/conformance/disputed.ts).
    if (row.status === 'fail') expect(DISPUTED[row.test], `${row.test} fails: ${row.reason}`).toBeDefined();
    if (MUST_PASS.includes(row.test)) expect(row.status, row.reason).toBe('pass');
    if (row.suite === 'tflm-seanet' && TFLM_MUST_PASS.includes(basename(dirname(dir)))) expect(row.status, row.reason).toBe('pass');
  });
});

describe('conformance table', () => {
  it('runs every folder, passes the quantized tests of supported ops, and matches docs/conformance.md', async () => {
    const all = await Promise.all(DIRS.map(rowOf));
    expect(all.length).toBeGreaterThan(300);
    // TFLM's 81 SEANet cases, each one row.
    expect(all.filter((r) => r.suite === 'tflm-seanet')).toHaveLength(81);
    expect(all.filter((r) => r.status === 'fail' && !(r.test in DISPUTED))).toEqual([]);
    for (const test of MUST_PASS) expect(all.find((r) => r.test === test)?.status, test).toBe('pass');
    const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'conformance.md'), 'utf8');
    expect(doc, 'docs/conformance.md is stale: run npm run conformance').toBe(conformanceMarkdown(all, 'onnx'));
  }, 600_000);
});
