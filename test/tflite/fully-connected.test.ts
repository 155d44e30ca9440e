/**
 * A FULLY_CONNECTED model built here (per-channel weights, fused RELU), against a hand
 * derivation of TFLM's int8 FullyConnected:
 *   acc = Σ (x − zx)(w − zw) + bias;  y = clamp(MultiplyByQuantizedMultiplier(acc, M) + zy)
 * with M = sx·sw[c]/sy as a Q31 multiplier and shift, and TFLM's double rounding:
 * SaturatingRoundingDoublingHighMul (ties toward +∞), then RoundingDivideByPOT (ties away from 0).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { recordToValues, valuesToRecord } from '../../src/validate/records.ts';
import { buildTflite } from '../helpers/tflite-builder.ts';
import { ActivationFunctionType, BuiltinOperator, TensorType } from '../../src/frontend/tflite/schema.ts';

const { INT8, INT32 } = TensorType;
const { FULLY_CONNECTED } = BuiltinOperator;
const { RELU } = ActivationFunctionType;

// sx = 0.5, sy = 1: channel 0 has M = 0.5·0.25 = 0.125 = 2^30·2^(−2−31) (multiplier 2^30, shift −2),
// channel 1 has M = 0.5·0.75 = 0.375 = (0.75·2^31)·2^(−1−31) (multiplier 1610612736, shift −1).
const model = buildTflite({
  tensors: [
    { name: 'x', type: INT8, shape: [1, 3], scale: [0.5], zeroPoint: [2] },
    { name: 'w', type: INT8, shape: [2, 3], data: new Int8Array([1, 2, 3, -1, 2, 1]), scale: [0.25, 0.75], zeroPoint: [0, 0], quantizedDimension: 0 },
    { name: 'b', type: INT32, shape: [2], data: new Int32Array([3, 6]) },
    { name: 'y', type: INT8, shape: [1, 2], scale: [1], zeroPoint: [-3] },
  ],
  operators: [{ code: FULLY_CONNECTED, inputs: [0, 1, 2], outputs: [3], fusedActivation: RELU }],
  inputs: [0],
  outputs: [3],
});

const cases: { x: number[]; y: number[] }[] = [
  // x − zx = [3, 1, 1]. acc0 = 3 + 2 + 3 + 3 = 11: 11/2 = 5.5 → 6, 6/4 = 1.5 → 2 (exact 11/8 = 1.375 would give 1);
  // y0 = 2 − 3 = −1. acc1 = −3 + 2 + 1 + 6 = 6: 6·0.75 = 4.5 → 5, 5/2 = 2.5 → 3 (exact 2.25 would give 2); y1 = 0.
  { x: [5, 3, 3], y: [-1, 0] },
  // x − zx = [−2, −3, 0]. acc0 = −2 − 6 + 0 + 3 = −5: −2.5 → −2 (tie toward +∞), −2/4 = −0.5 → −1; −1 − 3 = −4,
  // clamped by RELU at zy = −3. acc1 = 2 − 6 + 0 + 6 = 2: 1.5 → 2, 2/2 = 1; y1 = 1 − 3 = −2.
  { x: [0, -1, 2], y: [-3, -2] },
  // x − zx = [125, 125, 125]. acc0 = 125·6 + 3 = 753: 376.5 → 377, 377/4 = 94.25 → 94; y0 = 91.
  // acc1 = 125·2 + 6 = 256: 192, 96; y1 = 93.
  { x: [127, 127, 127], y: [91, 93] },
];
const records = cases.map((c) => new Uint8Array(Int8Array.from(c.x).buffer));
const expected = Buffer.from(Int8Array.from(cases.flatMap((c) => c.y)).buffer);

describe('TFLite FULLY_CONNECTED, per-channel, fused RELU', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-fc-'));
  const path = join(dir, 'fc.tflite');
  writeFileSync(path, model);
  const compiled = compileModel({ modelPath: path });

  it('the reference interpreter gives the hand-derived bytes', () => {
    expect(compiled.rounding).toBe('tflite');
    const actual = records.map((r) => valuesToRecord(runReference(compiled.graph, recordToValues(compiled.graph, compiled.graph.inputs, r)).outputs));
    expect(Buffer.concat(actual)).toEqual(expected);
  });

  it('the host-compiled C gives the same bytes', async () => {
    const host = await buildHostModel(compiled);
    try {
      expect(Buffer.from(await host.run(Buffer.concat(records)))).toEqual(expected);
    } finally {
      host.dispose();
    }
  }, 120_000);

  it('is recognised by content whatever the file is called', () => {
    const renamed = join(dir, 'fc.bin');
    writeFileSync(renamed, model);
    expect(compileModel({ modelPath: renamed }).rounding).toBe('tflite');
  });
});
