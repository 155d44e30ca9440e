/**
 * `tinygen compile` output is self-contained: it builds with nothing but its own folder, and its
 * kernel folder holds only the sources the model calls into.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { tinygen } from '../helpers/cli.ts';
import { MODELS } from '../helpers/paths.ts';
import { writeMlperfTinyNetwork } from '../helpers/tflite-networks.ts';
import { defaultName } from '../../src/pipeline.ts';
import { KERNELS_DIR, kernelFilesFor, kernelSources, objectLibrary } from '../../src/toolchain/object-cache.ts';

describe('tinygen compile', () => {
  it('writes the model and the kernel library, which build clean with -Wall -Wextra -Werror', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tinygen-compile-'));
    const result = await tinygen(['compile', join(MODELS, 'tiny_cnn_u8_qop.onnx'), '-o', out, '--name', 'kws']);
    expect(result.exitCode).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['kws.c', 'kws.h', 'kws_memory.svg', 'kws_report.json', 'kws_report.md', 'tinygen']);
    writeFileSync(join(out, 'main.c'), '#include "kws.h"\nint main(void) { static uint8_t in[KWS_INPUT_BYTES]; static uint8_t out[KWS_OUTPUT_BYTES]; return kws_run(in, out); }\n');
    const sources = [join(out, 'main.c'), join(out, 'kws.c'), ...readdirSync(join(out, 'tinygen')).filter((f) => f.endsWith('.c')).map((f) => join(out, 'tinygen', f))];
    const gcc = await execa('gcc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off', `-I${join(out, 'tinygen')}`, ...sources, '-lm', '-o', join(out, 'app')], { reject: false, all: true });
    expect(gcc.all).toBe('');
    expect(gcc.exitCode).toBe(0);
    expect((await execa(join(out, 'app'), { reject: false })).exitCode).toBe(0);
  });

  it('ships only the kernel sources a model calls into, and those link: MLPerf Tiny IC (convolutions, pooling, softmax) and AD (fully connected only), tiny_cnn in both roundings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-compile-kernels-'));
    const models = [
      [writeMlperfTinyNetwork('ic', dir), 'tflite'] as const,
      [writeMlperfTinyNetwork('ad', dir), 'tflite'] as const,
      [join(MODELS, 'tiny_cnn_qop.onnx'), 'onnx'] as const,
      [join(MODELS, 'tiny_cnn_qop.onnx'), 'tflite'] as const,
    ];
    const all = kernelSources().length;
    const main = join(dir, 'main.c');
    writeFileSync(main, '#include "net.h"\nint main(void) { return 0; }\n');
    for (const [model, rounding] of models) {
      const out = join(dir, `${basename(model)}-${rounding}`);
      const result = await tinygen(['compile', model, '-o', out, '--name', 'net', '--rounding', rounding]);
      expect(result.exitCode, result.stderr).toBe(0);
      const kernels = readdirSync(join(out, 'tinygen')).filter((f) => f.endsWith('.c'));
      expect(kernels.length, model).toBeLessThan(all);
      // Every symbol the model's C references must be defined: a missing kernel source fails the
      // link. (The objects come through the build cache: only the link runs on a warm one.)
      const sources = [main, join(out, 'net.c'), ...kernels.map((f) => join(out, 'tinygen', f))];
      const objects = await Promise.all(sources.map((source) => objectLibrary({ compiler: 'gcc', flags: ['-std=c11', '-O0'], sources: [source], includeDirs: [out, join(out, 'tinygen')] })));
      const gcc = await execa('gcc', [...objects.flatMap((o) => o.objects), '-lm', '-o', join(out, 'app')], { reject: false, all: true });
      expect(gcc.all, `${model} ${rounding}`).toBe('');
    }
  });

  it('finds, for every kernel tinygen_kernels.h declares, the source that defines it', () => {
    const header = readFileSync(join(KERNELS_DIR, 'tinygen_kernels.h'), 'utf8');
    const declared = [...header.matchAll(/^[a-z][\w ]*[\s*](tg_\w+)\(/gm)].map((m) => m[1]!);
    expect(declared.length).toBeGreaterThan(40);
    for (const fn of declared) {
      const sources = kernelFilesFor([`x = ${fn}(0);`]).filter((f) => f.endsWith('.c'));
      expect(sources.some((f) => new RegExp(`^[a-z][\\w ]*[\\s*]${fn}\\(`, 'm').test(readFileSync(f, 'utf8'))), fn).toBe(true);
    }
  });
});

describe('the default model name', () => {
  it('is the file name as a C identifier, with _model added where the name alone would clash', () => {
    expect(defaultName('/models/KWS-ref.tflite')).toBe('kws_ref');
    // stdint.h beside the model would shadow the C library's; int_run is fine but int is a keyword.
    expect(defaultName('stdint.onnx')).toBe('stdint_model');
    expect(defaultName('int.onnx')).toBe('int_model');
    expect(defaultName('tinygen_kernels.onnx')).toBe('tinygen_kernels_model');
    expect(defaultName('main.tflite')).toBe('main_model');
  });
});
