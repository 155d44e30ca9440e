/**
 * The minimal models under test/fixtures/hostile/, one per defect the fuzzer (npm run fuzz) found,
 * written by tools/fuzz/make-fixtures.ts. Each goes through the CLI's main() in this process (the
 * executable itself is test/cli/'s): exit 2 with one line naming the problem, or exit 0 with C that
 * builds under gcc -Wall -Wextra -Werror.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.ts';
import { buildGeneratedC } from '../../tools/fuzz/oracle.ts';
import { tinygenInProcess } from '../helpers/cli-in-process.ts';
import { hostDiff } from '../helpers/host-diff.ts';

const DIR = join(PACKAGE_ROOT, 'test', 'fixtures', 'hostile');

/** Each fixture's expected refusal; undefined: it compiles, into C that builds. */
const EXPECTED: Record<string, RegExp | undefined> = {
  'onnx-base.onnx': undefined,
  'tflite-base.tflite': undefined,
  // Were an internal error (exit 70): a weight as an output had no step to write it.
  'onnx-output-is-initializer.onnx': /onnx-output-is-initializer\.onnx: graph output 'c0' is a constant; every output must be computed by a node$/,
  'tflite-output-is-constant.tflite': /tflite-output-is-constant\.tflite: graph output 'c' is a constant; every output must be computed by a node$/,
  // Compiled into wrong firmware: the input argument unread (-Werror=unused-parameter), the node
  // reading the uninitialized output argument instead.
  'onnx-output-is-input.onnx': /onnx-output-is-input\.onnx: graph output 'x' is a graph input; every output must be computed by a node$/,
  'tflite-output-is-input.tflite': /tflite-output-is-input\.tflite: graph output 'x' is a graph input; every output must be computed by a node$/,
  // Compiled into wrong firmware: one of the two output arguments never written.
  'onnx-output-twice.onnx': /onnx-output-twice\.onnx: graph output 'y' is listed twice$/,
  'tflite-output-twice.tflite': /tflite-output-twice\.tflite: graph output 'y' is listed twice$/,
  // Was an internal error ('tensor ... has no storage'): the fourth input kept a weight's
  // DequantizeLinear at run time, reading a constant with no storage.
  'onnx-dequantize-four-inputs.onnx': /node 'DequantizeLinear_5' \(DequantizeLinear\): has 4 inputs; DequantizeLinear takes at most 3$/,
  // Was an internal error ('tensor ... has no storage'): a weight's DequantizeLinear as an output
  // runs at run time, and its constant input now gets an array of its own.
  'onnx-dequantized-weight-output.onnx': undefined,
  // Compiled into C with an unread input argument (-Werror=unused-parameter).
  'tflite-input-twice.tflite': /tflite-input-twice\.tflite: graph input 0 is listed twice$/,
};

describe('hostile fixtures through the CLI', () => {
  it('every fixture has an expectation', () => {
    expect(readdirSync(DIR).filter((f) => /\.(onnx|tflite)$/.test(f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s', async (file, refusal) => {
    const out = join(mkdtempSync(join(tmpdir(), 'tinygen-fixture-')), 'out');
    const result = await tinygenInProcess(['compile', join(DIR, file), '-o', out]);
    if (refusal) {
      expect(result.exitCode, result.stderr).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^tinygen: error: /);
      expect(lines[0]).toMatch(refusal);
      expect(existsSync(out)).toBe(false);
    } else {
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      expect(await buildGeneratedC(out)).toBeUndefined();
    }
  });

  it("a weight's DequantizeLinear as a graph output equals the reference on the host", async () => {
    expect((await hostDiff(join(DIR, 'onnx-dequantized-weight-output.onnx'), 'onnx', 4)).mismatches).toBe(0);
  });
});
