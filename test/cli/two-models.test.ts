/**
 * Several models for one firmware: `tinygen compile a b -o dir` writes each model's files and one
 * kernel folder for all of them, and one program that links both (no duplicate kernel symbols)
 * computes each model's reference bytes, under ASan/UBSan, calling them in turn.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { randomInputs, valuesToRecord } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { HOST_CFLAGS } from '../../src/toolchain/host.ts';
import { objectLibrary } from '../../src/toolchain/object-cache.ts';
import { tinygen } from '../helpers/cli.ts';
import { MODELS } from '../helpers/paths.ts';
import { writeMlperfTinyNetwork } from '../helpers/tflite-networks.ts';

const SANITIZE = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all'];

describe('two models in one program', () => {
  it.each(['static', 'external'] as const)('share one kernel folder, link together and each compute the reference bytes (%s arena)', async (arena) => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-two-models-'));
    // A TFLite network (fully connected layers) and an ONNX CNN: different kernels, one folder.
    const models = [writeMlperfTinyNetwork('ad', dir), join(MODELS, 'tiny_cnn_qop.onnx')];
    const out = join(dir, 'out');
    const result = await tinygen(['compile', ...models, '-o', out, '--json', '--arena', arena]);
    expect(result.exitCode, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { models: { name: string }[]; kernels: string[] };
    const names = summary.models.map((m) => m.name);
    expect(names).toEqual(['mlperf_ad', 'tiny_cnn_qop']);
    const kernelSources = summary.kernels.filter((f) => f.endsWith('.c'));
    expect(kernelSources.length).toBeGreaterThan(0);

    // Each model's input record in, each model's output record out, the models called in turn.
    // An external arena is one buffer for both, sized for the larger; a run refuses NULL or a
    // misaligned one.
    const upper = (name: string) => name.toUpperCase();
    const [a, b] = names.map(upper);
    const external = arena === 'external';
    const arenaArg = external ? 'shared_arena, ' : '';
    const main = [
      '#include <stdio.h>',
      ...names.map((n) => `#include "${n}.h"`),
      ...names.flatMap((n) => [`static int8_t ${n}_in[${upper(n)}_INPUT_BYTES];`, `static int8_t ${n}_out[${upper(n)}_OUTPUT_BYTES];`]),
      ...(external ? [`static uint64_t shared_arena[((${a}_ARENA_BYTES > ${b}_ARENA_BYTES ? ${a}_ARENA_BYTES : ${b}_ARENA_BYTES) + 7) / 8];`] : []),
      'int main(int argc, char **argv)',
      '{',
      '    FILE *in = argc > 2 ? fopen(argv[1], "rb") : NULL, *out = argc > 2 ? fopen(argv[2], "wb") : NULL;',
      '    if (!in || !out) return 2;',
      ...(external ? names.flatMap((n) => [`    if (${n}_run(NULL, ${n}_in, ${n}_out) != -1) return 6;`, `    if (${n}_run((char *)shared_arena + 4, ${n}_in, ${n}_out) != -1) return 7;`]) : []),
      ...names.map((n) => `    if (fread(${n}_in, 1, sizeof ${n}_in, in) != sizeof ${n}_in) return 3;`),
      ...names.map((n) => `    if (${n}_run(${arenaArg}${n}_in, ${n}_out) != 0) return 4;`),
      ...names.map((n) => `    fwrite(${n}_out, 1, sizeof ${n}_out, out);`),
      '    fclose(in);',
      '    return fclose(out) == 0 ? 0 : 5;',
      '}',
      '',
    ].join('\n');
    writeFileSync(join(out, 'main.c'), main);
    const flags = [...HOST_CFLAGS, ...SANITIZE];
    const sources = [join(out, 'main.c'), ...names.map((n) => join(out, `${n}.c`)), ...kernelSources];
    const objects = await Promise.all(sources.map((source) => objectLibrary({ compiler: 'gcc', flags, sources: [source], includeDirs: [out, join(out, 'tinygen')] })));
    const exe = join(out, 'app');
    await execa('gcc', [...flags, ...objects.flatMap((o) => o.objects), '-lm', '-o', exe]);

    const random = seededRandom(5);
    const compiled = models.map((m) => compileModel({ modelPath: m }));
    for (let round = 0; round < 3; round++) {
      const inputs = compiled.map((c) => randomInputs(c.graph, random));
      writeFileSync(join(out, 'in.bin'), Buffer.concat(inputs.map((values) => valuesToRecord(values))));
      await execa(exe, [join(out, 'in.bin'), join(out, 'out.bin')]);
      const expected = Buffer.concat(compiled.map((c, i) => valuesToRecord(runReference(c.graph, inputs[i]!).outputs)));
      expect(Buffer.compare(readFileSync(join(out, 'out.bin')), expected), `round ${round}`).toBe(0);
    }
  });

  it('refuses --name with several models, and two models that would share a name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-two-names-'));
    const model = join(MODELS, 'tiny_cnn_qop.onnx');
    const withName = await tinygen(['compile', model, join(MODELS, 'tiny_cnn_qdq.onnx'), '--name', 'x', '-o', join(dir, 'a')]);
    expect(withName.exitCode).toBe(2);
    expect(withName.stderr.trim()).toBe('tinygen: error: --name names one model; with several, each takes the name of its file');
    const twice = await tinygen(['compile', model, model, '-o', join(dir, 'b')]);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toMatch(/two models would both be named 'tiny_cnn_qop'/);
  });
});
