/** `tinygen compile` output is self-contained: it builds with nothing but its own folder. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { tinygen } from '../helpers/cli.ts';
import { MODELS } from '../helpers/paths.ts';

describe('tinygen compile', () => {
  it('writes the model and the kernel library, which build clean with -Wall -Wextra -Werror', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tinygen-compile-'));
    const result = await tinygen(['compile', join(MODELS, 'tiny_cnn_u8_qop.onnx'), '-o', out, '--name', 'kws']);
    expect(result.exitCode).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['kws_memory.svg', 'kws_model.c', 'kws_model.h', 'kws_report.json', 'kws_report.md', 'tinygen']);
    writeFileSync(join(out, 'main.c'), '#include "kws_model.h"\nint main(void) { static uint8_t in[KWS_INPUT_BYTES]; static uint8_t out[KWS_OUTPUT_BYTES]; return kws_run(in, out); }\n');
    const sources = [join(out, 'main.c'), join(out, 'kws_model.c'), ...readdirSync(join(out, 'tinygen')).filter((f) => f.endsWith('.c')).map((f) => join(out, 'tinygen', f))];
    const gcc = await execa('gcc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off', `-I${join(out, 'tinygen')}`, ...sources, '-lm', '-o', join(out, 'app')], { reject: false, all: true });
    expect(gcc.all).toBe('');
    expect(gcc.exitCode).toBe(0);
    expect((await execa(join(out, 'app'), { reject: false })).exitCode).toBe(0);
  });
});
