/**
 * Fits check before any build: a model too large for a board fails with the bytes needed and
 * available per region; and two models compiled with different names link into one image.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { tinygen } from '../helpers/cli.ts';
import { MODELS } from '../helpers/paths.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-fits-'));

/** A board with 1 KiB of flash and 4 KiB of RAM: tiny_cnn's 1188 bytes of weights cannot fit. */
function tinyBoard(): string {
  const path = join(dir, 'tiny-board.json');
  writeFileSync(
    path,
    JSON.stringify({
      id: 'tiny-board',
      description: 'test board with almost no memory',
      cpu: 'cortex-m3',
      fpu: null,
      features: { dsp: false, mve: false },
      clockHz: 25000000,
      memory: [
        { name: 'FLASH', origin: '0x00000000', length: '1K', kind: 'flash' },
        { name: 'RAM', origin: '0x20000000', length: '4K', kind: 'ram' },
      ],
      placement: { code: 'FLASH', data: 'RAM', stackSize: 2048, heapSize: 1024 },
      console: 'none',
    }),
  );
  return path;
}

describe.concurrent('fits check', () => {
  it('refuses a model too large for the board, with the numbers, before writing anything', async () => {
    const out = join(dir, 'never-written');
    const result = await tinygen(['compile', join(MODELS, 'tiny_cnn_qop.onnx'), '-o', out, '--board', tinyBoard()]);
    expect(result.exitCode).toBe(2);
    // Weights 1188 bytes > 1024: the model's 1164 bytes of constants, and 6 int32 biases (24 B) the
    // fully connected layer gains, where its kernel keeps the input zero point's share; arena 1280 +
    // stack 2048 + heap 1024 = 4352 > 4096.
    expect(result.stderr.trim()).toBe(
      `tinygen: error: model ${join(MODELS, 'tiny_cnn_qop.onnx')} does not fit board 'tiny-board' before code is even counted: ` +
        "flash region FLASH needs 1188 bytes but has 1024: the model's weights 1188; " +
        "ram region RAM needs 4352 bytes but has 4096: the model's arena 1280, and the stack 2048 and heap 1024 that board 'tiny-board' reserves for the firmware",
    );
    expect(existsSync(out)).toBe(false);
  });

  it('fails validation on microbit before building, with the numbers, for a model with 300 KiB of weights', async () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'int8', [1, 512]);
    const w = g.constant('int8', [512, 600], new Array(512 * 600).fill(3));
    const [y] = g.node('QLinearMatMul', [a, g.scalar(0.1), g.scalar(0, 'int8'), w, g.scalar(0.01), g.scalar(0, 'int8'), g.scalar(0.5), g.scalar(0, 'int8')]);
    g.output(g.rename(y!, 'y'), 'int8', [1, 600]);
    const model = g.save();
    const result = await tinygen(['validate', model, '--board', 'microbit', '--inputs', '2']);
    expect(result.exitCode).toBe(1);
    // 512 x 600 int8 weights + 600 int32 biases (the input zero point's share, 0 here) + one float32
    // multiplier = 309,604 bytes; microbit's flash is 256 KiB.
    expect(result.stdout).toContain(`model ${model} does not fit board 'microbit' before code is even counted: flash region FLASH needs 309604 bytes but has 262144: the model's weights 309604`);
    expect(result.stdout).not.toMatch(/overflowed/); // refused before the linker ran
  });

  it('reports the room a model takes on a board that has it', async () => {
    const result = await tinygen(['compile', join(MODELS, 'tiny_cnn_qop.onnx'), '-o', join(dir, 'ok'), '--board', 'mps2-an386', '--json']);
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout) as { regions: { region: string; needed: number; parts: Record<string, number> }[] };
    expect(summary.regions.find((r) => r.region === 'FLASH')!.parts).toEqual({ weights: 1188 });
    expect(summary.regions.find((r) => r.region === 'RAM')!.parts.arena).toBe(1280);
  });
});

describe.concurrent('several models in one image', () => {
  it('link together when compiled with different names', async () => {
    const out = join(dir, 'two');
    for (const [model, name] of [
      ['tiny_cnn_qop', 'kws'],
      ['tiny_cnn_u8_qop', 'vww'],
    ] as const) {
      expect((await tinygen(['compile', join(MODELS, `${model}.onnx`), '-o', out, '--name', name])).exitCode).toBe(0);
    }
    writeFileSync(
      join(out, 'main.c'),
      [
        '#include "kws.h"',
        '#include "vww.h"',
        'int main(void)',
        '{',
        '    static int8_t a_in[KWS_INPUT_BYTES], a_out[KWS_OUTPUT_BYTES];',
        '    static uint8_t b_in[VWW_INPUT_BYTES], b_out[VWW_OUTPUT_BYTES];',
        '    return kws_run(a_in, a_out) | vww_run(b_in, b_out);',
        '}',
        '',
      ].join('\n'),
    );
    const kernels = readdirSync(join(out, 'tinygen')).filter((f) => f.endsWith('.c')).map((f) => join(out, 'tinygen', f));
    const sources = [join(out, 'main.c'), join(out, 'kws.c'), join(out, 'vww.c'), ...kernels];
    // Built for a Cortex-M4F as well as for the host: no duplicate symbols either way.
    const arm = await execa('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16', '-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off', `-I${join(out, 'tinygen')}`, '--specs=nosys.specs', ...sources, '-lm', '-o', join(out, 'image.elf')], { reject: false, all: true });
    expect(arm.all).toBe('');
    const host = await execa('gcc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off', `-I${join(out, 'tinygen')}`, ...sources, '-lm', '-o', join(out, 'image')], { reject: false, all: true });
    expect(host.all).toBe('');
    expect((await execa(join(out, 'image'), { reject: false })).exitCode).toBe(0);
  });
});
