/**
 * Float32 Conv, Gemm and MatMul against ONNX's node tests (reference and host C within ONNX's
 * tolerance, through the conformance runner), and against hand derivations for what those tests
 * leave out (auto_pad SAME with dilations, which ONNX Runtime refuses, so the ORT tests skip it).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runConformanceTest } from '../../src/conformance/run.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { recordToValues, valuesToRecord } from '../../src/validate/records.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { SHARED } from '../helpers/paths.ts';

const NODE = join(SHARED, 'conformance', 'onnx-node');
const TESTS = readdirSync(NODE)
  .filter((d) => /^test_(conv_with_|gemm_|matmul_)/.test(d))
  .sort();

describe('float32 Conv, Gemm and MatMul vs ONNX conformance data', () => {
  it('finds the 4 Conv, 11 Gemm and 7 MatMul node tests', () => {
    expect(TESTS.filter((t) => t.startsWith('test_conv_'))).toHaveLength(4);
    expect(TESTS.filter((t) => t.startsWith('test_gemm_'))).toHaveLength(11);
    expect(TESTS.filter((t) => t.startsWith('test_matmul_'))).toHaveLength(7);
  });
  for (const name of TESTS) {
    it(`${name}: reference and host C`, async () => {
      const row = await runConformanceTest(join(NODE, name), { rounding: 'onnx', hostC: true });
      expect(row.reason).toBe('reference and host C');
      expect(row.status).toBe('pass');
    });
  }
});

describe('float32 Conv: auto_pad SAME with dilations, by hand', () => {
  // x = [1 .. 6] as [1, 1, 6], w = [1, 10] with dilation 2 (span 3) and stride 2: ONNX gives
  // ceil(6 / 2) = 3 outputs and (3 - 1) * 2 + 3 - 6 = 1 padding, at the end for SAME_UPPER and at
  // the beginning for SAME_LOWER. Output o reads x[2o + shift] and x[2o + shift + 2] (0 outside).
  //   SAME_UPPER (shift 0):  1 + 10 * 3 = 31,  3 + 10 * 5 = 53,  5 + 10 * 0 = 5
  //   SAME_LOWER (shift -1): 0 + 10 * 2 = 20,  2 + 10 * 4 = 42,  4 + 10 * 6 = 64
  // The bias 0.5 is added to each.
  const cases = [
    { autoPad: 'SAME_UPPER', expected: [31.5, 53.5, 5.5] },
    { autoPad: 'SAME_LOWER', expected: [20.5, 42.5, 64.5] },
  ];
  it('reference and host C', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1, 1, 6]);
    for (const { autoPad } of cases) {
      const [y] = g.node('Conv', [x, g.constant('float32', [1, 1, 2], [1, 10]), g.constant('float32', [1], [0.5])], { auto_pad: autoPad, dilations: [2], strides: [2] });
      g.output(g.rename(y!, autoPad), 'float32', [1, 1, 3]);
    }
    const compiled = compileModel({ modelPath: g.save(), rounding: 'onnx', allowFloat: true });
    const input = [{ dtype: 'float32' as const, shape: [1, 1, 6], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }];
    const reference = runReference(compiled.graph, input).outputs;
    const host = await buildHostModel(compiled);
    try {
      const c = recordToValues(compiled.graph, compiled.graph.outputs, await host.run(valuesToRecord(input)));
      cases.forEach(({ expected }, i) => {
        expect(reference[i]!.shape).toEqual([1, 1, 3]);
        expect(Array.from(reference[i]!.data as Float32Array)).toEqual(expected);
        expect(Array.from(c[i]!.data as Float32Array)).toEqual(expected);
      });
    } finally {
      host.dispose();
    }
  });
});
