/**
 * The first diverging layer, on the host: a -DTINYGEN_TRACE build of the generated C writes every
 * step's outputs, and a bug planted in one layer's constants is named as that layer. Without the
 * define the generated C builds as before (the trace hooks are ((void)0)).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel, generate, type Compiled } from '../../src/pipeline.ts';
import { modelSourceFile, type GeneratedModel } from '../../src/codegen/generate.ts';
import { randomRecords } from '../../src/validate/records.ts';
import { compareTrace, describeDivergence, parseTrace, referenceValues, traceOnHost } from '../../src/validate/trace.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { MODELS } from '../helpers/paths.ts';
import { plantBiasBug } from '../helpers/plant.ts';
import { buildNetwork, NETWORKS } from '../helpers/networks.ts';
import { TFLITE_TEST_NETWORKS, writeTfliteTestNetwork, type TfliteTestNetwork } from '../helpers/tflite-networks.ts';
import { PACKAGE_ROOT } from '../../src/version.ts';

const TINY = join(MODELS, 'tiny_cnn_qop.onnx');

/** A trace of an unchanged build on the host: every traced layer equals the reference. */
async function expectCleanTrace(compiled: Compiled, generated: GeneratedModel, record: Uint8Array): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-trace-test-'));
  try {
    const side = await traceOnHost({ compiled, generated, record, input: 0, workDir: dir });
    expect(side.error).toBeUndefined();
    expect(side.divergence).toBeUndefined();
    expect(side.layersCompared).toBe(generated.traced.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


describe('layer trace on the host', () => {
  const compiled = compileModel({ modelPath: TINY });
  const generated = generate(compiled);
  const [record] = randomRecords(compiled.graph, 1, 7);

  it('generates a TG_TRACE line per output of every step that runs code, and no more', () => {
    const source = generated.files.get(modelSourceFile(compiled.name))!;
    const lines = source.split('\n').filter((l) => /^\s+TG_TRACE\(/.test(l));
    expect(lines).toHaveLength(generated.traced.length);
    expect(generated.traced.map((t) => t.step)).toEqual(generated.layers.flatMap((l, step) => (l.runs ? [step] : [])));
    expect(source).toMatch(/#define TG_TRACE\(step, data, bytes\) \(\(void\)0\)/);
  });

  it('a clean build traces every layer equal to the reference', async () => {
    await expectCleanTrace(compiled, generated, record!);
  });

  it('names the layer whose constant was planted wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-trace-test-'));
    try {
      const side = await traceOnHost({ compiled, generated, record: record!, input: 0, workDir: dir, mutateSources: (files) => plantBiasBug(files) });
      expect(side.error).toBeUndefined();
      const d = side.divergence!;
      expect(d).toBeDefined();
      expect(d.step).toBe(3);
      expect(d.node).toBe('QLinearConv_2');
      expect(d.op).toBe(compiled.graph.nodes[3]!.op);
      expect(d.shape).toEqual([1, 8, 8, 8]);
      expect(d.differingBytes).toBeGreaterThan(0);
      // Only output channel 0 of the 8 can move.
      expect(d.differingBytes).toBeLessThanOrEqual(64);
      expect(d.maxLsb).toBeGreaterThan(0);
      expect(describeDivergence(d)).toMatch(/^step 3, \S+ 'QLinearConv_2' \[1x8x8x8\] int8: \d+ of 512 bytes differ, max \d+ LSB/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bug planted for Arm only leaves the host clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-trace-test-'));
    try {
      const side = await traceOnHost({ compiled, generated, record: record!, input: 0, workDir: dir, mutateSources: (files) => plantBiasBug(files, true) });
      expect(side.error).toBeUndefined();
      expect(side.divergence).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the two-argument host harness still works without the define', async () => {
    const model = await buildHostModel(compiled, { generated });
    try {
      const out = await model.run(record!);
      expect(out.length).toBe(generated.outputs.reduce((s, t) => s + t.bytes, 0));
    } finally {
      model.dispose();
    }
  });

  it('parses traces and refuses one cut short or of other steps', () => {
    const values = referenceValues(compiled, record!);
    expect(() => parseTrace(new Uint8Array([1, 0, 0, 0, 4, 0, 0, 0, 9]))).toThrow(/ends inside step 1/);
    expect(() => compareTrace(compiled.graph, generated.traced, values, [])).toThrow(/holds 0 layer outputs/);
  });
});

describe.concurrent('a clean trace matches the reference at every layer', () => {
  const tfliteDir = mkdtempSync(join(tmpdir(), 'tinygen-trace-tflite-'));
  afterAll(() => rmSync(tfliteDir, { recursive: true, force: true }));
  const models = [
    ...(Object.keys(TFLITE_TEST_NETWORKS) as TfliteTestNetwork[]).map((n) => ({ label: `${n}.tflite`, path: () => writeTfliteTestNetwork(n, tfliteDir) })),
    ...['tiny_cnn_qop', 'tiny_cnn_qdq', 'tiny_cnn_u8_qop', 'tiny_cnn_u8_qdq'].map((m) => ({ label: m, path: () => join(MODELS, `${m}.onnx`) })),
    { label: 'demo_cnn', path: () => join(PACKAGE_ROOT, 'examples', 'demo_cnn.onnx') },
    ...NETWORKS.flatMap((n) => (['qop', 'qdq'] as const).flatMap((form) => (['int8', 'uint8'] as const).map((act) => ({ label: `${n} ${form} ${act}`, path: () => buildNetwork(n, form, act) })))),
  ];
  for (const { label, path } of models) {
    it(label, async () => {
      const compiled = compileModel({ modelPath: path() });
      const generated = generate(compiled);
      const [record] = randomRecords(compiled.graph, 1, 3);
      expect(generated.traced.length).toBeGreaterThan(0);
      await expectCleanTrace(compiled, generated, record!);
    });
  }
});
