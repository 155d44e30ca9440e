/**
 * A .tflite file is input from outside: names, shapes, zero points and versions in it must not
 * break the generated C or the one-line error contract (found by fuzzing the frontend).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildTflite, type TensorSpec } from '../helpers/tflite-builder.ts';
import { expectOneLineError } from '../helpers/one-line-error.ts';
import { tinygenInProcess as tinygen } from '../helpers/cli-in-process.ts';
import { BuiltinOperator, TensorType } from '../../src/frontend/tflite/schema.ts';

const { RELU, RESHAPE } = BuiltinOperator;
const act = (name: string, shape: number[], zeroPoint = 0): TensorSpec => ({ name, type: TensorType.INT8, shape, scale: [0.05], zeroPoint: [zeroPoint] });
const relu = (x: TensorSpec, y: TensorSpec, version = 1) => buildTflite({ tensors: [x, y], operators: [{ code: RELU, inputs: [0], outputs: [1], version }], inputs: [0], outputs: [1] });

describe('hostile .tflite input', () => {
  it('tensor names cannot escape the C comments they are quoted in: the C builds clean with -Wall -Werror', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-hostile-'));
    try {
      const model = join(dir, 'inj.tflite');
      writeFileSync(model, relu(act('x */ #error injected\n/* ', [1, 4]), act('y\n#error two', [1, 4])));
      const result = await tinygen(['compile', model, '-o', join(dir, 'out'), '--name', 'inj']);
      expect(result.exitCode, result.stderr).toBe(0);
      const header = readFileSync(join(dir, 'out', 'inj.h'), 'utf8');
      expect(header).not.toMatch(/^#error/m);
      const sources = [join(dir, 'out', 'inj.c'), ...readdirSync(join(dir, 'out', 'tinygen')).filter((f) => f.endsWith('.c')).map((f) => join(dir, 'out', 'tinygen', f))];
      const gcc = await execa('gcc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-fsyntax-only', `-I${join(dir, 'out', 'tinygen')}`, ...sources], { reject: false, all: true });
      expect(gcc.all).toBe('');
      expect(gcc.exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers each inconsistency with one line and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-hostile-'));
    try {
      // An error naming a tensor whose name holds a line break stays one line.
      const perChannel = { ...act('out\nsecond line', [1, 4]), scale: [0.05, 0.05], zeroPoint: [0, 0] };
      await expectOneLineError(dir, 'newline.tflite', relu(act('x', [1, 4]), perChannel), /out second line/);
      await expectOneLineError(dir, 'zero-point.tflite', relu(act('x', [1, 4], 1000), act('y', [1, 4])), /zero point outside int8/);
      await expectOneLineError(dir, 'huge.tflite', relu(act('x', [100000, 100000]), act('y', [100000, 100000])), /more than 2\^31 - 1 bytes/);
      await expectOneLineError(dir, 'version.tflite', relu(act('x', [1, 4]), act('y', [1, 4]), 0), /version 0 is not supported/);
      // RESHAPE to a declared shape of 9 elements from 4: TFLM rejects it, and so must we.
      const reshape = buildTflite({
        tensors: [act('x', [1, 4]), act('y', [3, 3]), { name: 'shape', type: TensorType.INT32, shape: [2], data: new Int32Array([2, 2]) }],
        operators: [{ code: RESHAPE, inputs: [0, 2], outputs: [1] }],
        inputs: [0],
        outputs: [1],
      });
      await expectOneLineError(dir, 'reshape.tflite', reshape, /output shape \[3,3\] does not hold the input's 4 elements/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
