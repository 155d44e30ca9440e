/** `tinygen run` on an ONNX node test: input and expected output come from ONNX's own data. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTensorProtoBytes } from '../../src/frontend/onnx/tensor-proto.ts';
import { tinygen } from '../helpers/cli.ts';
import { SHARED } from '../helpers/paths.ts';

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
});
