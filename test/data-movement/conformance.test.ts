/**
 * ONNX's own node tests for the data-movement ops, through the reference interpreter (and, for
 * one, the host-compiled C): the expected bytes are ONNX's. Most of these tests are float: views,
 * Concat, Pad and nearest Resize move elements without looking at them, so they run as they are.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runConformanceTest } from '../../src/conformance/run.ts';
import { SHARED } from '../helpers/paths.ts';

const DIR = join(SHARED, 'conformance', 'onnx-node');
const TESTS = readdirSync(DIR).filter((d) => /^test_(squeeze|unsqueeze|concat|constant_pad|edge_pad|reflect_pad)/.test(d) || /^test_resize_.*nearest/.test(d));

describe('ONNX node tests of the data-movement ops (onnx rounding)', () => {
  it('finds them all', () => {
    // 2 squeeze, 7 unsqueeze, 12 concat, 5 pad, 15 nearest resize.
    expect(TESTS).toHaveLength(41);
  });
  for (const name of TESTS) {
    it(`${name}: the reference equals ONNX's outputs`, async () => {
      const row = await runConformanceTest(join(DIR, name), { rounding: 'onnx', hostC: false });
      expect(row.status, row.reason).toBe('pass');
    });
  }
  it('test_reflect_pad (int32, NHWC): the host C equals ONNX too', async () => {
    const row = await runConformanceTest(join(DIR, 'test_reflect_pad'), { rounding: 'onnx', hostC: true });
    expect(row.status, row.reason).toBe('pass');
    expect(row.reason).toBe('reference and host C');
  });
});
