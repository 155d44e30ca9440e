/** Bad input gets one line naming the problem, exit code 2, no stack trace and no output files. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinygen } from '../helpers/cli.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { MODELS } from '../helpers/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-bad-'));

function expectOneLineError(result: { exitCode?: number; stderr: string }, pattern: RegExp) {
  expect(result.exitCode).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tinygen: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

async function compileExpectingError(model: string, pattern: RegExp) {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  expectOneLineError(await tinygen(['compile', model, '-o', out]), pattern);
  expect(existsSync(out)).toBe(false);
}

describe('bad input', () => {
  it('a file that is not ONNX', async () => {
    const path = join(dir, 'text.onnx');
    writeFileSync(path, 'this is a text file, not a protobuf model\n');
    await compileExpectingError(path, /text\.onnx: not an ONNX model/);
  });

  it('a truncated model', async () => {
    const path = join(dir, 'truncated.onnx');
    const bytes = readFileSync(join(MODELS, 'tiny_cnn_qop.onnx'));
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await compileExpectingError(path, /truncated\.onnx: not an ONNX model, or truncated/);
  });

  it('an unsupported op names the op, the node and the supported ops', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1, 4]);
    const [y] = g.node('Softplus', [x]);
    g.output(g.rename(y!, 'y'), 'float32', [1, 4]);
    await compileExpectingError(g.save('softplus.onnx'), /node 'Softplus_0' \(Softplus\): unsupported op 'Softplus'; supported ops: .*QLinearConv/);
  });

  it('a missing initializer', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'int8', [1, 1, 4, 4]);
    const [y] = g.node('Add', [x, 'ghost_weights']);
    g.output(g.rename(y!, 'y'), 'int8', [1, 1, 4, 4]);
    await compileExpectingError(g.save('missing.onnx'), /reads 'ghost_weights', which is neither a graph input, an initializer/);
  });

  it('a scale that is a graph input instead of a constant', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [4]);
    const s = g.input('s', 'float32', []);
    const [y] = g.node('QuantizeLinear', [x, s, g.scalar(0, 'int8')]);
    g.output(g.rename(y!, 'y'), 'int8', [4]);
    await compileExpectingError(g.save('dynamic-scale.onnx'), /output scale 's' must be a constant initializer/);
  });

  it('a missing model file', async () => {
    await compileExpectingError(join(dir, 'nowhere.onnx'), /nowhere\.onnx: cannot read \(ENOENT\)/);
  });

  it('an unknown board lists the known ones', async () => {
    expectOneLineError(await tinygen(['validate', join(MODELS, 'tiny_cnn_qop.onnx'), '--board', 'pdp-11']), /unknown board "pdp-11"; known boards: .*mps2-an386/);
  });

  it('an input file that is not a whole number of records', async () => {
    const path = join(dir, 'short.bin');
    writeFileSync(path, new Uint8Array(100));
    expectOneLineError(await tinygen(['run', join(MODELS, 'tiny_cnn_qop.onnx'), '--input', path]), /100 bytes is not a whole number of 256-byte input records/);
  });

  it('a --name that is no C name, or a keyword, writes nothing', async () => {
    for (const [name, pattern] of [
      ['1-bad-name', /--name "1-bad-name" is not usable as a C name/],
      ['_reserved', /--name "_reserved" is not usable as a C name/],
      ['class', /--name "class" is a C or C\+\+ keyword/],
      // The model's files are <name>.c and <name>.h: a stdint.h beside them would shadow the C library's.
      ['stdint', /--name "stdint" would write stdint.h and stdint.c, which clash with the C library's stdint.h/],
      ['tg_dot', /clash with tinygen's own kernel files/],
      ['harness_model', /clash with the harness_model.c that validation/],
    ] as const) {
      const out = join(dir, `named-${name}`);
      expectOneLineError(await tinygen(['compile', join(MODELS, 'tiny_cnn_qop.onnx'), '-o', out, '--name', name]), pattern);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('an output folder that cannot be created: under a file, or where the file system refuses (/proc), without hanging', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    expectOneLineError(await tinygen(['compile', join(MODELS, 'tiny_cnn_qop.onnx'), '-o', join(file, 'out')]), /cannot create the folder .*a-file\/out: .*a-file is a file, not a folder/);
    // Node's recursive mkdir loops forever on this path; tinygen must answer at once.
    expectOneLineError(await tinygen(['compile', join(MODELS, 'tiny_cnn_qop.onnx'), '-o', '/proc/tinygen-out']), /cannot create the folder \/proc\/tinygen-out: .*\(ENOENT\)/);
    const record = join(dir, 'record.bin');
    writeFileSync(record, Buffer.alloc(256));
    expectOneLineError(await tinygen(['run', join(MODELS, 'tiny_cnn_qop.onnx'), '--input', record, '--dump', '/proc/tinygen-dump']), /cannot create the folder \/proc\/tinygen-dump\/0: .*\(ENOENT\)/);
  });

  it('a misspelt flag or command is one line naming the nearest one; a bad --inputs count says what is wrong', async () => {
    const model = join(MODELS, 'tiny_cnn_qop.onnx');
    expectOneLineError(await tinygen(['compile', model, '-o', join(dir, 'never'), '--optimise', 'ram']), /unknown argument: optimise \(did you mean --optimize\?\)/);
    expectOneLineError(await tinygen(['compil', model]), /unknown arguments: compil \(did you mean compile\?\)/);
    expectOneLineError(await tinygen(['compile', model, '-o', join(dir, 'never'), '--frobnicate']), /unknown argument: frobnicate; see tinygen --help$/);
    for (const count of ['-3', '2.5']) {
      expectOneLineError(await tinygen(['validate', model, '--board', 'mps2-an386', '--inputs', count]), new RegExp(`--inputs: expected a positive whole number of random inputs, or a file of input records; got ${count.replace('.', '\\.')}`));
    }
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
