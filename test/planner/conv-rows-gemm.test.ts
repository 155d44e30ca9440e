/**
 * ConvRowsGemm (src/ops/conv-rows-gemm, made by src/passes/line-buffer.ts): a convolution
 * flattened into a fully connected layer, run row by row into the layer's int32 sums. Checked on
 * TFLM's micro_speech (its RAM hand-derived; tflm-conformance*.test.ts compare its bytes with
 * TFLM's on the host and the boards) and on random models: the plan's byte-level simulation, the
 * fused step's reference against the unfused layers', and the host C under ASan/UBSan against
 * the reference.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/pipeline.ts';
import { ActivationFunctionType as Act, Padding } from '../../src/frontend/tflite/schema.ts';
import { CalibratedSpecBuilder } from '../helpers/tflite-networks.ts';
import { buildTflite } from '../helpers/tflite-builder.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { SHARED } from '../helpers/paths.ts';
import { expectSoundPlan } from './check-plan.ts';
import { convIntoDense, expectSameReference, type ConvIntoDense } from './conv-rows-models.ts';

const MICRO_SPEECH = join(SHARED, 'conformance', 'tflite', 'micro_speech_quantized', 'model.tflite');
const ops = (path: string, optimize?: 'time') => compileModel({ modelPath: path, ...(optimize ? { optimize } : {}) }).graph.nodes.map((n) => n.op);

/** The first random models the pass fuses: some with a multiple of four units, some with a tail. */
function fusedModels(count: number): ConvIntoDense[] {
  const found: ConvIntoDense[] = [];
  for (let seed = 1; seed < 400 && found.length < count; seed++) {
    const model = convIntoDense(seed);
    if (ops(model.path).includes('ConvRowsGemm')) found.push(model);
  }
  return found;
}
const models = fusedModels(10);

describe('ConvRowsGemm', () => {
  it("micro_speech: the conv and FULLY_CONNECTED run as one step, and the model's RAM with --io arena is its input, the step's scratch and its output (2,304 B)", () => {
    const compiled = compileModel({ modelPath: MICRO_SPEECH, io: 'arena' });
    expect(compiled.graph.nodes.map((n) => n.op)).toEqual(['Reshape', 'ConvRowsGemm', 'TFLiteSoftmax']);
    // The input 49 x 40 x 1 (1,960 B) is read by the step; its scratch holds the 4 sums (16 B), a
    // row of the 25 x 20 x 8 map (160 B) and the dense kernel's patch pair (2 x 10 x 8 x 1 =
    // 160 B), 336 B; its 4-byte output takes 8 B (aligned). The map's 4,000 B never exist.
    expect(compiled.plan.arenaBytes).toBe(1960 + 336 + 8);
    expect(ops(MICRO_SPEECH, 'time')).toEqual(['Reshape', 'QLinearConv', 'Reshape', 'QGemm', 'TFLiteSoftmax']);
  });

  it('is not made when the map is read elsewhere (here, a graph output)', () => {
    const b = new CalibratedSpecBuilder(3);
    const x = b.input('input', [1, 10, 10, 2], 0.04, 0);
    const map = b.conv('conv', x, { filters: 6, kernel: [3, 3], stride: [1, 1], activation: Act.RELU, padding: Padding.SAME });
    const y = b.fullyConnected('fc', b.reshape('flat', map, [1, 600]), 5, Act.NONE);
    const path = join(mkdtempSync(join(tmpdir(), 'tinygen-model-')), 'two_outputs.tflite');
    writeFileSync(path, buildTflite(b.spec([x.index], [y.index, map.index])));
    expect(ops(path)).not.toContain('ConvRowsGemm');
    // The same model with the FC's output alone is fused (the test above is not vacuous).
    const single = join(mkdtempSync(join(tmpdir(), 'tinygen-model-')), 'one_output.tflite');
    writeFileSync(single, buildTflite(b.spec([x.index], [y.index])));
    expect(ops(single)).toContain('ConvRowsGemm');
  });

  it('random models: found with and without a tail of units, the plan simulation passes, and the step computes the unfused layers\' bytes', () => {
    expect(models.length).toBe(10);
    expect(models.some((m) => m.units % 4 !== 0) && models.some((m) => m.units % 4 === 0)).toBe(true);
    for (const [i, { path }] of models.entries()) {
      for (const io of ['caller', 'arena'] as const) {
        const fused = compileModel({ modelPath: path, io });
        const unfused = compileModel({ modelPath: path, io, optimize: 'time' });
        expectSoundPlan(fused, `model ${i} ${io}`);
        expect(fused.plan.arenaBytes, `model ${i} ${io}`).toBeLessThan(unfused.plan.arenaBytes);
        expectSameReference(fused, unfused, i + 11, 4, `model ${i}`);
      }
    }
  });

  it('random models: the host C (ASan/UBSan) equals the reference, in both roundings and io placements', async () => {
    // Six of them, with and without a tail of units, keep the host suite quick.
    const some = [...models.filter((m) => m.units % 4 !== 0).slice(0, 3), ...models.filter((m) => m.units % 4 === 0).slice(0, 3)];
    expect(some.length).toBeGreaterThanOrEqual(4);
    for (const [i, { path }] of some.entries()) {
      for (const [rounding, io] of [['tflite', 'arena'], ['onnx', 'caller']] as const) {
        const diff = await hostDiff(path, rounding, 6, i + 1, { io });
        expect(diff.mismatches, `model ${i} ${rounding} ${io}: ${JSON.stringify(diff.first)}`).toBe(0);
        expect(diff.bytes).toBeGreaterThan(0);
      }
    }
  });
});
