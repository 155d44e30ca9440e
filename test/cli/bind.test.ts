/**
 * --bind NAME=v1,v2,...: a graph input bound to a value at compile time becomes a constant of its
 * own type and shape, for compile and run (validate, bench and report take the same flag through the
 * same CompileRequest.bound). Bad flags get one line and exit 2.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinygenInProcess } from '../helpers/cli-in-process.ts';
import { buildTflite } from '../helpers/tflite-builder.ts';
import { BuiltinOperator, TensorType } from '../../src/frontend/tflite/schema.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-bind-'));
const model = join(dir, 'sum.tflite');
// y = a + b, every tensor int8 with scale 1 and zero point 0: TFLM's ADD then adds exactly.
writeFileSync(
  model,
  buildTflite({
    tensors: [
      { name: 'a', type: TensorType.INT8, shape: [1, 3], scale: [1], zeroPoint: [0] },
      { name: 'b', type: TensorType.INT8, shape: [1, 3], scale: [1], zeroPoint: [0] },
      { name: 'y', type: TensorType.INT8, shape: [1, 3], scale: [1], zeroPoint: [0] },
    ],
    operators: [{ code: BuiltinOperator.ADD, inputs: [0, 1], outputs: [2] }],
    inputs: [0, 1],
    outputs: [2],
  }),
);

describe('--bind', () => {
  it('makes the bound input a constant: one API input left, and the sum uses the bound values', () => {
    const compiled = compileModel({ modelPath: model, bound: new Map([['b', [10, -20, 30]]]) });
    expect(compiled.graph.inputs).toEqual(['a']);
    const [y] = runReference(compiled.graph, [{ dtype: 'int8', shape: [1, 3], data: Int8Array.from([1, 2, 3]) }]).outputs;
    expect(Array.from(y!.data as Int8Array)).toEqual([11, -18, 33]);
  });

  it('run --bind: the records hold only the unbound input', async () => {
    const input = join(dir, 'a.bin');
    writeFileSync(input, Int8Array.from([1, 2, 3]));
    const result = await tinygenInProcess(['run', model, '--input', input, '--bind', 'b=10,-20,30', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)[0][0].data).toEqual([11, -18, 33]);
  });

  it.each([
    [['b=1,2'], /bound graph input 'b' has shape \[1,3\] \(3 values\); it is bound to 2/],
    [['b=1,2,300'], /bound graph input 'b' is int8; its bound value 300 is not one/],
    [['c=1,2,3'], /'c' is bound to a value but is not a graph input \(inputs: a, b\)/],
    [['b'], /--bind "b": expected NAME=v1,v2,\.\.\./],
    [['b=1,x,3'], /--bind "b=1,x,3": expected NAME=v1,v2,\.\.\./],
    [['b=1,2,3', 'b=1,2,3'], /--bind: 'b' is bound twice/],
  ])('%j: one line, exit 2', async (flags, pattern) => {
    const result = await tinygenInProcess(['compile', model, '-o', join(dir, 'out'), ...flags.flatMap((f) => ['--bind', f])]);
    expect(result.exitCode).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });
});
