/**
 * tinygen bench --against cmsis-nn: CMSIS-NN's wrappers run each compute layer of a small TFLite
 * network (conv, depthwise, 1x1 conv, ADD, max and average pool, FULLY_CONNECTED) on the Cortex-M4F,
 * and their output bytes equal tinygen's reference for the layer on the same input: the check that
 * the shapes, layouts and quantization reach CMSIS-NN right. A deliberately wrong mapping fails it.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinygen } from '../helpers/cli.ts';
import { PACKAGE_ROOT } from '../../src/version.ts';
import { MODELS } from '../helpers/paths.ts';
import { buildTflite } from '../helpers/tflite-builder.ts';
import { dsCnnLike } from '../helpers/tflite-networks.ts';
import type { BenchReport } from '../../src/bench/bench.ts';
import { compileModel, generate } from '../../src/pipeline.ts';
import { loadBoard } from '../../src/boards/board.ts';
import { measureYardstick } from '../../src/bench/yardstick/against.ts';
import { runYardstick } from '../../src/bench/yardstick/firmware.ts';
import { requireCmsisNn } from '../../src/bench/yardstick/cmsis-nn-library.ts';
import type { ConvCall } from '../../src/bench/yardstick/map-layers.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-against-'));
const MODEL = join(dir, 'ds_cnn_like.tflite');
writeFileSync(MODEL, buildTflite(dsCnnLike()));

describe.concurrent('tinygen bench --against cmsis-nn', () => {
  it('prints tinygen and CMSIS-NN per layer, per kind and in total, with the views left out', async () => {
    const cli = await tinygen(['bench', MODEL, '--board', 'mps2-an386', '--against', 'cmsis-nn', '--json']);
    expect(cli.stderr).toBe('');
    expect(cli.exitCode).toBe(0);
    const report = JSON.parse(cli.stdout) as BenchReport;
    expect(report.bitExact).toBe(true);
    expect(report.rounding).toBe('tflite');
    const a = report.against!;
    expect(a.failure).toBeUndefined();
    expect(a.cflags).toContain('-O3');
    expect(a.cflags).toContain('-mcpu=cortex-m4');
    expect(a.layers.map((l) => l.cmsisNnFunction)).toEqual([
      'arm_convolve_wrapper_s8',
      'arm_depthwise_conv_wrapper_s8',
      'arm_convolve_wrapper_s8',
      'arm_elementwise_add_s8',
      'arm_max_pool_s8',
      'arm_avgpool_s8',
      null,
      'arm_fully_connected_per_channel_s8',
    ]);
    expect(a.layers[6]).toMatchObject({ op: 'Reshape', tinygenInstructions: 0, cmsisNnInstructions: null, noYardstick: 'view: no code runs' });
    // CMSIS-NN's bytes are tinygen's reference bytes on every layer it runs.
    expect(a.yardstickMatchesReference).toBe(true);
    const compared = a.layers.filter((l) => l.cmsisNnInstructions !== null);
    for (const l of compared) {
      expect(l.matchesReference, l.node).toBe(true);
      // Whole SysTick ticks of 40 instructions, and more than the hook alone.
      expect(l.cmsisNnInstructions! % 40, l.node).toBe(0);
      expect(l.cmsisNnInstructions!, l.node).toBeGreaterThan(200);
      expect(l.ratio!).toBeCloseTo(l.tinygenInstructions / l.cmsisNnInstructions!, 10);
    }
    // Totals are over the compared layers only, and the kinds split them.
    const t = compared.reduce((s, l) => s + l.tinygenInstructions, 0);
    const c = compared.reduce((s, l) => s + l.cmsisNnInstructions!, 0);
    expect(a.total).toMatchObject({ layers: 7, tinygenInstructions: t, cmsisNnInstructions: c });
    expect(a.total.ratio).toBeCloseTo(t / c, 10);
    expect(a.notComparedInstructions).toBe(0);
    expect(a.byKind.map((k) => k.kind).sort()).toEqual(['add', 'average pool', 'conv', 'conv 1x1', 'depthwise conv', 'fully connected', 'max pool']);
    expect(a.byKind.reduce((s, k) => s + k.cmsisNnInstructions, 0)).toBe(c);
    // tinygen's side is bench's own per-layer figure.
    for (const l of a.layers) expect(l.tinygenInstructions).toBe(report.layers[l.index]!.instructions);
    // Code: tinygen's is the report's model code; CMSIS-NN's covers at least the functions called.
    expect(a.code.tinygenBytes).toBe(report.report.flash.codeBytes);
    expect(a.code.cmsisNnBytes).toBeGreaterThan(1000);
  });

  it('prints both sides\' code bytes', async () => {
    const cli = await tinygen(['bench', MODEL, '--board', 'mps2-an386', '--against', 'cmsis-nn']);
    expect(cli.exitCode).toBe(0);
    expect(cli.stdout).toMatch(/^code: tinygen's model [\d,]+ B .*, CMSIS-NN's functions [\d,]+ B/m);
  });

  it("checks CMSIS-NN's conv, depthwise and fully connected outputs against the reference, and catches a wrong mapping", async () => {
    const board = loadBoard('mps2-an386');
    const cmsisRoot = requireCmsisNn();
    const compiled = compileModel({ modelPath: MODEL });
    const runs = generate(compiled).layers.map((l) => l.runs);
    const measured = await measureYardstick({ compiled, runs, board, cmsisRoot, seed: 3, workDir: join(dir, 'right'), timeoutMs: 60_000 });
    expect(measured.run.failure).toBeUndefined();
    const slice = (i: number) => {
      const s = measured.layout.slots[i]!.output;
      return measured.run.outputs.subarray(s.offset, s.offset + s.bytes);
    };
    const byKind = (kind: string) => measured.plan.mapped.findIndex((l) => l.kind === kind);
    for (const kind of ['conv', 'depthwise conv', 'conv 1x1', 'fully connected']) {
      const i = byKind(kind);
      expect(i, kind).toBeGreaterThanOrEqual(0);
      expect([...slice(i)], kind).toEqual([...measured.expected[i]!]);
      // Not a vacuous match (all saturated, or all the zero point).
      if (kind !== 'fully connected') expect(new Set(slice(i)).size, kind).toBeGreaterThan(8);
    }

    // The same conv with its output offset one off must not match: the check sees mapping errors.
    // Only a parameter changes, so the records keep their layout and the input record is reused.
    const wrong = measured.plan.mapped.map((l) => (l.kind === 'conv' ? { ...l, call: { ...(l.call as ConvCall), outputOffset: (l.call as ConvCall).outputOffset + 1 } } : l));
    const layout = measured.layout;
    const input = new Uint8Array(readFileSync(join(dir, 'right', 'inputs.bin')));
    const run = await runYardstick({ board, cmsisRoot, model: MODEL, layers: wrong, layout, inputRecord: input, workDir: join(dir, 'wrong'), timeoutMs: 60_000 });
    expect(run.failure).toBeUndefined();
    const conv = byKind('conv');
    const s = layout.slots[conv]!.output;
    expect([...run.outputs.subarray(s.offset, s.offset + s.bytes)]).not.toEqual([...measured.expected[conv]!]);
  });

  it('refuses onnx rounding and a missing CMSIS-NN with one line and exit 2', async () => {
    const tiny = join(MODELS, 'tiny_cnn_qop.onnx');
    const onnx = await tinygen(['bench', tiny, '--board', 'mps2-an386', '--against', 'cmsis-nn', '--rounding', 'onnx']);
    expect(onnx.exitCode).toBe(2);
    expect(onnx.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^tinygen: error: --against cmsis-nn compares in tflite rounding/)]);

    // The environment of this one process only: the other tests run concurrently.
    const missing = await execa('node', [join(PACKAGE_ROOT, 'bin', 'tinygen.js'), 'bench', tiny, '--board', 'mps2-an386', '--against', 'cmsis-nn'], {
      reject: false,
      env: { TINYGEN_CMSIS_NN: join(dir, 'no-such-folder') },
    });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^tinygen: error: --against cmsis-nn needs CMSIS-NN's Include\/ and Source\/ at .*no-such-folder/)]);
  });
});
