/**
 * End to end under QEMU: the example models compile, build for mps2-an386, run, and match the
 * reference byte for byte; and a build with one constant deliberately wrong is caught.
 */
import { modelSourceEntry } from '../helpers/plant.ts';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { validate } from '../../src/validate/validate.ts';
import { ROUNDING_MODES } from '../../src/numerics/requantize.ts';
import { MODELS } from '../helpers/paths.ts';
import { tinygen } from '../helpers/cli.ts';

describe.concurrent('validate under QEMU on mps2-an386', () => {
  for (const model of ['tiny_cnn_qop', 'tiny_cnn_u8_qop']) {
    for (const rounding of ROUNDING_MODES) {
      it(`${model} is bit-exact on 20 inputs (${rounding})`, async () => {
        const report = await validate({ modelPath: join(MODELS, `${model}.onnx`), board: 'mps2-an386', inputs: 20, rounding });
        expect(report.failure).toBeUndefined();
        expect(report.inputs).toBe(20);
        expect(report.bytesCompared).toBe(20 * 6);
        expect(report.mismatchCount).toBe(0);
        expect(report.passed).toBe(true);
        expect(report.ticks).toHaveLength(20);
      });
    }
  }

  it('reports each inference as the firmware finishes it, and the CLI prints one line per stage when piped', async () => {
    const counts: [number, number][] = [];
    const report = await validate({ modelPath: join(MODELS, 'tiny_cnn_qop.onnx'), board: 'mps2-an386', inputs: 12, onInference: (done, total) => counts.push([done, total]) });
    expect(report.passed).toBe(true);
    expect(counts).toEqual(Array.from({ length: 12 }, (_, i) => [i + 1, 12]));
    const cli = await tinygen(['validate', join(MODELS, 'tiny_cnn_qop.onnx'), '--board', 'mps2-an386', '--inputs', '2']);
    expect(cli.exitCode).toBe(0);
    expect(cli.stderr.split('\n')).toEqual(expect.arrayContaining(['tinygen: building firmware for mps2-an386...', 'tinygen: running 2 inferences under QEMU (mps2-an386)...']));
    expect(cli.stderr).not.toMatch(/inferences, ETA/);
  });

  it('is bit-exact with the weights in a blob that the harness binds (--weights blob), with an external arena too', async () => {
    for (const board of ['mps2-an386', 'mps3-an547']) {
      for (const arena of ['static', 'external'] as const) {
        const report = await validate({ modelPath: join(MODELS, 'tiny_cnn_u8_qop.onnx'), board, inputs: 5, weights: 'blob', arena });
        expect(report.failure, `${board} ${arena}`).toBeUndefined();
        expect(report.mismatchCount, `${board} ${arena}`).toBe(0);
      }
    }
  });

  for (const io of ['caller', 'arena'] as const) {
    it(`is bit-exact with the arena the caller's (--arena external, --io ${io}) on the M4F and the M55`, async () => {
      for (const board of ['mps2-an386', 'mps3-an547']) {
        const report = await validate({ modelPath: join(MODELS, 'tiny_cnn_qop.onnx'), board, inputs: 5, io, arena: 'external' });
        expect(report.mismatchCount, board).toBe(0);
        expect(report.passed, board).toBe(true);
      }
    });
  }

  it('fails, naming input, output and values, when a kernel constant is off by one', async () => {
    const report = await validate({
      modelPath: join(MODELS, 'tiny_cnn_qop.onnx'),
      board: 'mps2-an386',
      inputs: 20,
      mutateSources(files) {
        const [name, source] = modelSourceEntry(files);
        // The fully connected layer's output zero point, one step off (its clamp bounds, kept below
        // the zero point, move with it so the int8 range stays): every output byte moves by one.
        const mutated = source.replace(
          /(tg_conv_1x1_t \w+ = \{.*\{ 0, NULL, NULL, NULL, \w+, )(-?\d+), (-?\d+), (-?\d+)/,
          (_, head: string, zp: string, lo: string, hi: string) => `${head}${Number(zp) + 1}, ${Number(lo) - 1}, ${Number(hi) - 1}`,
        );
        expect(mutated).not.toBe(source);
        files.set(name, mutated);
      },
    });
    expect(report.passed).toBe(false);
    expect(report.mismatchCount).toBeGreaterThan(0);
    const first = report.mismatches[0]!;
    expect(first.output).toBe(0);
    expect(Math.abs(first.actual - first.expected)).toBeLessThanOrEqual(1);
  });

  it('the CLI exits 0 and prints the counts', async () => {
    const result = await tinygen(['validate', join(MODELS, 'tiny_cnn_u8_qop.onnx'), '--board', 'mps2-an386', '--inputs', '5']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^PASS /);
    expect(result.stdout).toMatch(/inputs:\s+5\n/);
    expect(result.stdout).toMatch(/bytes compared:\s+30\n/);
    expect(result.stdout).toMatch(/mismatches:\s+0\n/);
  });
});
