/** Bad TFLite input: one line naming the problem, exit code 2, through the real CLI. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinygen } from '../helpers/cli.ts';
import { SHARED } from '../helpers/paths.ts';
import { buildTflite, type ModelSpec } from '../helpers/tflite-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-bad-'));
const HELLO_WORLD = join(SHARED, 'conformance', 'tflite', 'hello_world_int8', 'model.tflite');
const [FLOAT32, INT8] = [0, 9];
const [CONV_2D, FULLY_CONNECTED] = [3, 9];

async function expectOneLineError(file: string, bytes: Uint8Array | string, pattern: RegExp) {
  const path = join(dir, file);
  writeFileSync(path, bytes);
  const result = await tinygen(['compile', path, '-o', join(dir, `out-${file}`)]);
  expect(result.exitCode).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tinygen: error: /);
  expect(lines[0]).toMatch(pattern);
}

/** int8 FC, then an operator with the given code on its output. */
function twoOperatorModel(secondCode: number): ModelSpec {
  return {
    tensors: [
      { name: 'x', type: INT8, shape: [1, 2], scale: [0.5], zeroPoint: [0] },
      { name: 'w', type: INT8, shape: [2, 2], data: new Int8Array([1, 2, 3, 4]), scale: [0.5] },
      { name: 'h', type: INT8, shape: [1, 2], scale: [0.5], zeroPoint: [0] },
      { name: 'y', type: INT8, shape: [1, 2], scale: [0.5], zeroPoint: [0] },
    ],
    operators: [
      { code: FULLY_CONNECTED, inputs: [0, 1, -1], outputs: [2] },
      { code: secondCode, inputs: [2], outputs: [3] },
    ],
    inputs: [0],
    outputs: [3],
  };
}

describe('bad TFLite input', () => {
  it('a file that is not TFLite', async () => {
    await expectOneLineError('text.tflite', 'this is a text file, not a FlatBuffer\n', /text\.tflite: not a TFLite model \(no "TFL3" file identifier\)/);
  });

  it('a truncated model', async () => {
    const bytes = readFileSync(HELLO_WORLD);
    await expectOneLineError('truncated.tflite', bytes.subarray(0, Math.floor(bytes.length / 2)), /truncated\.tflite: truncated or corrupt: .* outside the 1352-byte file/);
  });

  it('an unsupported operator names its index and op', async () => {
    await expectOneLineError('conv.tflite', buildTflite(twoOperatorModel(CONV_2D)), /conv\.tflite: operator 1 \(CONV_2D\): not supported yet; supported: DEQUANTIZE, FULLY_CONNECTED, QUANTIZE, RESHAPE$/);
  });

  it('a float model', async () => {
    const floatModel = buildTflite({
      tensors: [
        { name: 'x', type: FLOAT32, shape: [1, 2] },
        { name: 'w', type: FLOAT32, shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
        { name: 'y', type: FLOAT32, shape: [1, 2] },
      ],
      operators: [{ code: FULLY_CONNECTED, inputs: [0, 1, -1], outputs: [2] }],
      inputs: [0],
      outputs: [2],
    });
    await expectOneLineError('float.tflite', floatModel, /float\.tflite: a float model \(no int8 tensors\)/);
  });

  it('a bias that is not int32', async () => {
    const spec = twoOperatorModel(FULLY_CONNECTED);
    spec.tensors.push({ name: 'bad_bias', type: INT8, shape: [2], data: new Int8Array([1, 1]), scale: [0.25] });
    spec.operators = [{ code: FULLY_CONNECTED, inputs: [0, 1, 4], outputs: [2] }];
    spec.outputs = [2];
    await expectOneLineError('bias.tflite', buildTflite(spec), /bias\.tflite: operator 0 \(FULLY_CONNECTED\): the bias 'bad_bias' must be int32 with 2 values/);
  });
});
