/**
 * `tinygen run` on an ONNX node test: input and expected output come from ONNX's own data. And
 * `run --dump`: every layer's output, in execution order, the last one the model's output.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTensorProtoBytes } from '../../src/frontend/onnx/tensor-proto.ts';
import { tinygen } from '../helpers/cli.ts';
import { MODELS, SHARED } from '../helpers/paths.ts';

describe('tinygen run', () => {
  it('computes ONNX conformance outputs from a .pb input', async () => {
    const dir = join(SHARED, 'conformance', 'onnx-node', 'test_maxpool_2d_uint8');
    const expected = readTensorProtoBytes(readFileSync(join(dir, 'test_data_set_0', 'output_0.pb')), 'output_0.pb');
    const result = await tinygen(['run', join(dir, 'model.onnx'), '--input', join(dir, 'test_data_set_0', 'input_0.pb'), '--json']);
    expect(result.exitCode).toBe(0);
    const [[output]] = JSON.parse(result.stdout) as { dtype: string; shape: number[]; data: number[] }[][];
    expect(output!.dtype).toBe('uint8');
    expect(output!.shape).toEqual(expected.shape);
    expect(output!.data).toEqual(Array.from(expected.data as Uint8Array));
  });

  it('--dump writes each layer output with an index: the NHWC input transposed from the NCHW record, the last layer equal to --output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-dump-'));
    // tiny_cnn's input is [1, 1, 16, 16] int8: byte i holds i - 128, distinct in every position.
    const input = Uint8Array.from({ length: 256 }, (_, i) => i);
    writeFileSync(join(dir, 'in.bin'), input);
    const result = await tinygen(['run', join(MODELS, 'tiny_cnn_qop.onnx'), '--input', join(dir, 'in.bin'), '--output', join(dir, 'out.bin'), '--dump', join(dir, 'dump')]);
    expect(result.exitCode, result.stderr).toBe(0);
    const index = JSON.parse(readFileSync(join(dir, 'dump', '0', 'index.json'), 'utf8')) as { tensors: { step: number; file: string; shape: number[]; dtype: string }[] };
    expect(index.tensors.map((t) => t.step)).toEqual(index.tensors.map((_, i) => i));
    // With one channel, NCHW [1, 1, 16, 16] and NHWC [1, 16, 16, 1] hold the same bytes in the same order.
    const first = index.tensors[0]!;
    expect(first.shape).toEqual([1, 16, 16, 1]);
    expect(new Uint8Array(readFileSync(join(dir, 'dump', '0', first.file)))).toEqual(input);
    const last = index.tensors.at(-1)!;
    expect(readFileSync(join(dir, 'dump', '0', last.file))).toEqual(readFileSync(join(dir, 'out.bin')));
  });
});
