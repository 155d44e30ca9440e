/**
 * TFLite operator chains bit-exact under QEMU on mps2-an386 in tflite rounding, one per family of
 * hand-derived host tests: LEAKY_RELU → HARD_SWISH (activations.test.ts), RELU → RELU6 → MEAN
 * each quantized unlike its input (mean-relu.test.ts), and QUANTIZE → STRIDED_SLICE → QUANTIZE →
 * RELU6 (slice-quantize.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinygen } from '../helpers/cli.ts';
import { buildTflite, leakyReluOptions, reducerOptions, stridedSliceOptions, type ModelSpec, type TensorSpec } from '../helpers/tflite-builder.ts';

const [FLOAT32, INT8, INT32] = [0, 9, 2];
const [RELU, RELU6, MEAN, STRIDED_SLICE, LEAKY_RELU, QUANTIZE, HARD_SWISH] = [19, 21, 40, 45, 98, 114, 117];
const f32 = Math.fround;

const int8 = (name: string, shape: number[], scale: number, zeroPoint: number): TensorSpec => ({ name, type: INT8, shape, scale: [scale], zeroPoint: [zeroPoint] });
const int32 = (name: string, values: number[]): TensorSpec => ({ name, type: INT32, shape: [values.length], data: new Int32Array(values) });

interface Chain {
  title: string;
  file: string;
  spec: ModelSpec;
  inputs: number;
  /** Output bytes per inference. */
  outputBytes: number;
}

const CHAINS: Chain[] = [
  {
    title: 'LEAKY_RELU → HARD_SWISH',
    file: 'leaky_hard_swish.tflite',
    spec: {
      tensors: [int8('t0', [1, 4, 4, 8], 0.05, -3), int8('t1', [1, 4, 4, 8], 0.04, 7), int8('t2', [1, 4, 4, 8], 0.03, -60)],
      operators: [
        { code: LEAKY_RELU, inputs: [0], outputs: [1], options: leakyReluOptions(0.1) },
        { code: HARD_SWISH, inputs: [1], outputs: [2] },
      ],
      inputs: [0],
      outputs: [2],
    },
    inputs: 8,
    outputBytes: 128,
  },
  {
    title: 'RELU → RELU6 → MEAN, each quantized unlike its input',
    file: 'relu_relu6_mean.tflite',
    spec: {
      tensors: [
        int8('x', [1, 4, 4, 8], 0.05, -7),
        int8('relu', [1, 4, 4, 8], 0.03, -100),
        int8('relu6', [1, 4, 4, 8], 0.06, -90),
        int8('mean', [1, 8], 0.011, -70),
        int32('axes', [1, 2]),
      ],
      operators: [
        { code: RELU, inputs: [0], outputs: [1] },
        { code: RELU6, inputs: [1], outputs: [2] },
        { code: MEAN, inputs: [2, 4], outputs: [3], options: reducerOptions(false) },
      ],
      inputs: [0],
      outputs: [3],
    },
    inputs: 8,
    outputBytes: 8,
  },
  {
    // float32 [1, 4, 6] → QUANTIZE (0.5, 3; validate's random inputs are often multiples of 1/16,
    // so x / 0.5 hits .5 ties) → STRIDED_SLICE (shrink axis 0, rows 3 and 1, columns 5, 3, 1) →
    // QUANTIZE to (fround(2.4), −128) → RELU6 (its upper bound on a tie).
    title: 'QUANTIZE → STRIDED_SLICE → QUANTIZE → RELU6',
    file: 'slice_quantize_chain.tflite',
    spec: {
      tensors: [
        { name: 'x', type: FLOAT32, shape: [1, 4, 6] },
        int8('q', [1, 4, 6], 0.5, 3),
        int8('s', [2, 3], 0.5, 3),
        int8('r', [2, 3], f32(2.4), -128),
        int8('y', [2, 3], f32(2.4), -128),
        int32('begin', [0, 3, 5]),
        int32('end', [1, 0, 0]),
        int32('strides', [1, -2, -2]),
      ],
      operators: [
        { code: QUANTIZE, inputs: [0], outputs: [1] },
        { code: STRIDED_SLICE, inputs: [1, 5, 6, 7], outputs: [2], options: stridedSliceOptions({ shrinkAxisMask: 0b001 }) },
        { code: QUANTIZE, inputs: [2], outputs: [3] },
        { code: RELU6, inputs: [3], outputs: [4] },
      ],
      inputs: [0],
      outputs: [4],
    },
    inputs: 16,
    outputBytes: 6,
  },
];

const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-chains-'));

describe.concurrent.each(CHAINS)('TFLite $title under QEMU', ({ file, spec, inputs, outputBytes }) => {
  it('validate: 0 mismatches on mps2-an386', async () => {
    const path = join(dir, file);
    writeFileSync(path, buildTflite(spec));
    const result = await tinygen(['validate', path, '--board', 'mps2-an386', '--inputs', String(inputs), '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { cells: { board: string; rounding: string; passed: boolean; inputs: number; bytesCompared: number; mismatchCount: number }[] };
    expect(report.cells).toHaveLength(1);
    expect(report.cells[0]).toMatchObject({ board: 'mps2-an386', rounding: 'tflite', passed: true, inputs, bytesCompared: inputs * outputBytes, mismatchCount: 0 });
  });
});
