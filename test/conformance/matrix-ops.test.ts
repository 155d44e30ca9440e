/**
 * QGemm, ConvInteger and MatMulInteger against the conformance data (ONNX's node tests and the
 * com.microsoft QGemm tests in ../shared/conformance/extra): the reference and the host C give
 * the expected bytes exactly.
 *
 * One QGemm test's expected output is wrong: test_qgemm_int8_bias_per_output has M = N = 2 and a
 * 1-D bias C = [2, -3], which ONNX's unidirectional broadcasting (and ONNX Runtime) adds per
 * column; the generator that made the file (onnx2c's qgemm.py) tests `len(C) == M` first and adds
 * it per row. That test checks tinygen against a hand derivation and ONNX Runtime instead.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runConformanceTest } from '../../src/conformance/run.ts';
import { readOnnxTestCase } from '../../src/conformance/onnx-test.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { roundHalfEven } from '../../src/numerics/requantize.ts';
import { SHARED } from '../helpers/paths.ts';
import { runOrt } from '../helpers/ort.ts';

const NODE = join(SHARED, 'conformance', 'onnx-node');
const EXTRA = join(SHARED, 'conformance', 'extra');

describe('matrix ops vs conformance data', () => {
  const exact = [
    join(NODE, 'test_convinteger_with_padding'),
    join(NODE, 'test_convinteger_without_padding'),
    join(NODE, 'test_matmulinteger'),
    join(EXTRA, 'test_qgemm_uint8_scalar_bias'),
    join(EXTRA, 'test_qgemm_uint8_transB_row_bias'),
  ];
  // Host builds are slow: the C runs on the two richest cases here (uint8, padding, per-channel
  // weight zero points; a [M, 1] bias with transB), and on all of them in conformance-run.test.ts.
  const withC = new Set(['test_convinteger_with_padding', 'test_qgemm_uint8_transB_row_bias']);
  for (const dir of exact) {
    const name = dir.split('/').pop()!;
    const hostC = withC.has(name);
    it(`${name}: ${hostC ? 'reference and host C' : 'reference'} exact (onnx rounding)`, async () => {
      const row = await runConformanceTest(dir, { rounding: 'onnx', hostC });
      expect(row.reason).toBe(hostC ? 'reference and host C' : 'reference');
      expect(row.status).toBe('pass');
    });
  }
  for (const dir of exact.slice(0, 3)) {
    it(`${dir.split('/').pop()}: int32 outputs do not depend on the rounding mode`, async () => {
      expect((await runConformanceTest(dir, { rounding: 'tflite', hostC: false })).status).toBe('pass');
    });
  }

  it('test_qgemm_int8_bias_per_output: the bias broadcasts per column, as ONNX specifies and ONNX Runtime computes', async () => {
    const dir = join(EXTRA, 'test_qgemm_int8_bias_per_output');
    const test = readOnnxTestCase(dir);
    const compiled = compileModel({ modelPath: test.modelPath, bindings: test.bindings, rounding: 'onnx' });
    const set = test.dataSets[0]!;
    const input = { dtype: set.input.dtype, shape: set.input.shape, data: set.input.data! };
    const ours = Array.from(runReference(compiled.graph, [input]).outputs[0]!.data as Int8Array);

    // By hand: A = [[-3, 2, 7], [4, -5, 1]], B = [[6, -2], [1, 3], [-4, 5]], zero points 0,
    // C = [2, -3] per column; multiplier float32(float32(0.05 * 0.04) / 0.02) ~ 0.1, y_zero_point -2.
    // A x B = [[-44, 47], [15, -18]]; + C = [[-42, 44], [17, -21]];
    // x 0.1 = [[-4.2, 4.4], [1.7, -2.1]] → round [[-4, 4], [2, -2]] → - 2 = [[-6, 2], [0, -4]].
    const f32 = Math.fround;
    const m = f32(f32(f32(0.05) * f32(0.04)) / f32(0.02));
    expect([-42, 44, 17, -21].map((acc) => roundHalfEven(f32(acc * m)) - 2)).toEqual([-6, 2, 0, -4]);
    expect(ours).toEqual([-6, 2, 0, -4]);

    // ONNX Runtime on the same model and data agrees.
    const feeds = [input, ...[...test.bindings.values()].map((t) => ({ dtype: t.dtype, shape: t.shape, data: t.data! }))];
    const names = [compiled.graph.inputs[0]!, ...test.bindings.keys()];
    const [ort] = await runOrt(test.modelPath, names, feeds);
    expect(Array.from(ort!.data as Int8Array)).toEqual(ours);

    // The file holds the per-row reading: [[-42, 49], [12, -21]] x 0.1 → [[-6, 3], [-1, -4]].
    expect(Array.from(set.outputs[0]!.data as Int8Array)).toEqual([-6, 3, -1, -4]);
    const row = await runConformanceTest(dir, { rounding: 'onnx', hostC: false });
    expect(row.status).toBe('fail');
    expect(row.reason).toMatch(/^reference, data set 0, output 0: element 1 is 2, expected 3 \(disputed test data: /);
  });
});
