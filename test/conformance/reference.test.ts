/**
 * The reference interpreter against ONNX's own conformance data: the expected bytes come from
 * ONNX's backend test suite, not from tinygen.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readOnnxTestCase } from '../../src/conformance/onnx-test.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { SHARED } from '../helpers/paths.ts';

const TESTS = [
  'test_qlinearconv',
  'test_qlinearmatmul_2D_int8_float32',
  'test_qlinearmatmul_2D_uint8_float32',
  'test_qlinearmatmul_3D_int8_float32',
  'test_qlinearmatmul_3D_uint8_float32',
  'test_quantizelinear',
  'test_dequantizelinear',
  'test_maxpool_2d_uint8',
];

describe('reference interpreter vs ONNX conformance data (onnx rounding)', () => {
  for (const name of TESTS) {
    it(name, () => {
      const test = readOnnxTestCase(join(SHARED, 'conformance', 'onnx-node', name));
      const compiled = compileModel({ modelPath: test.modelPath, bindings: test.bindings, rounding: 'onnx' });
      for (const set of test.dataSets) {
        const { outputs } = runReference(compiled.graph, [{ dtype: set.input.dtype, shape: set.input.shape, data: set.input.data! }]);
        expect(outputs).toHaveLength(set.outputs.length);
        outputs.forEach((out, i) => {
          const expected = set.outputs[i]!;
          expect(out.dtype).toBe(expected.dtype);
          expect(out.shape).toEqual(expected.shape);
          expect(Array.from(out.data as ArrayLike<number>)).toEqual(Array.from(expected.data as ArrayLike<number>));
        });
      }
    });
  }
});
