/**
 * Random TFLite models for the fused row-by-row steps (src/passes/line-buffer.ts).
 *
 * convIntoDense: models whose last layers a ConvRowsGemm step runs: a
 * dense convolution of random kernel, stride and padding (after an optional 3x3 stem, so that its
 * input is an intermediate map), RESHAPE to one vector, FULLY_CONNECTED to 1..9 units. Scales as
 * a calibration would pick them (CalibratedSpecBuilder), so the bytes use the int8 range.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Compiled } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CalibratedSpecBuilder } from '../helpers/tflite-networks.ts';
import { buildTflite } from '../helpers/tflite-builder.ts';
import { ActivationFunctionType as Act, Padding } from '../../src/frontend/tflite/schema.ts';

export interface ConvIntoDense {
  path: string;
  /** The fully connected layer's outputs (the kernel takes four at a time, then a tail). */
  units: number;
}

export function convIntoDense(seed: number): ConvIntoDense {
  const b = new CalibratedSpecBuilder(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(b.random() * (hi - lo + 1));
  const activation = () => [Act.NONE, Act.RELU, Act.RELU6][int(0, 2)]!;
  const [h, w] = [int(3, 12), int(3, 12)];
  const input = b.input('input', [1, h, w, int(1, 4)], 0.04, int(-10, 10));
  let x = input;
  if (b.random() < 0.5) x = b.conv('stem', x, { filters: int(1, 4), kernel: [3, 3], stride: [1, 1], activation: Act.RELU });
  // A k_h x k_w window with k_w >= 2, so that the layer is never pointwise (the dense kernel's alone).
  const kernel: [number, number] = [int(1, Math.min(5, h)), int(2, Math.min(5, w))];
  const padding = b.random() < 0.5 ? Padding.SAME : Padding.VALID;
  const map = b.conv('conv', x, { filters: int(1, 9), kernel, stride: [int(1, 3), int(1, 3)], activation: activation(), padding });
  const flat = b.reshape('flat', map, [1, map.shape.reduce((a, c) => a * c, 1)]);
  const units = int(1, 9);
  const y = b.fullyConnected('fc', flat, units, activation());
  const path = join(mkdtempSync(join(tmpdir(), 'tinygen-model-')), `conv_into_dense_${seed}.tflite`);
  writeFileSync(path, buildTflite(b.spec([input.index], [y.index])));
  return { path, units };
}

/**
 * A random TFLite chain of convolutions whose first layers a ConvChainRows step runs: a first conv
 * of any window (1..5 x 1..5), stride (up to 3, larger than the window too), dilation (1 or 2) and
 * padding (SAME or VALID), then 2..4 layers among 3x3 depthwise (stride 1 or 2, SAME or VALID),
 * pointwise, and k x k convs (k 2..4, stride at most k), ending in a pointwise conv so that the
 * chain's largest map is not its last. Calibrated scales give nonzero zero points almost
 * everywhere, which the windows' padding rows must hold.
 */
export function convChain(seed: number): string {
  const b = new CalibratedSpecBuilder(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(b.random() * (hi - lo + 1));
  const activation = () => [Act.NONE, Act.RELU, Act.RELU6][int(0, 2)]!;
  const padding = () => (b.random() < 0.5 ? Padding.SAME : Padding.VALID);
  const input = b.input('input', [1, int(10, 18), int(6, 14), int(1, 3)], 0.04, int(-20, 20));
  const dilation = int(1, 2);
  const kernel: [number, number] = [int(1, 4), int(2, 4)];
  let x = b.conv('first', input, { filters: int(1, 3), kernel, stride: [int(1, 3), int(1, 2)], activation: activation(), padding: padding(), dilation: [dilation, 1] });
  for (let layer = 0, layers = int(2, 4); layer < layers; layer++) {
    const [h, w] = x.shape.slice(1, 3) as [number, number];
    const choice = b.random();
    if (choice < 0.4 && h >= 3 && w >= 3) x = b.depthwise(`dw${layer}`, x, { kernel: [3, 3], stride: [int(1, 2), int(1, 2)], activation: activation(), padding: padding() });
    else if (choice < 0.7 || h < 4 || w < 4) x = b.conv(`pw${layer}`, x, { filters: int(3, 10), kernel: [1, 1], stride: [1, 1], activation: activation(), padding: Padding.VALID });
    else {
      const k = int(2, 4);
      x = b.conv(`conv${layer}`, x, { filters: int(2, 6), kernel: [k, k], stride: [int(1, 2), 1], activation: activation(), padding: padding() });
    }
  }
  const y = b.conv('last', x, { filters: int(1, 4), kernel: [1, 1], stride: [1, 1], activation: Act.NONE, padding: Padding.VALID });
  const path = join(mkdtempSync(join(tmpdir(), 'tinygen-model-')), `conv_chain_${seed}.tflite`);
  writeFileSync(path, buildTflite(b.spec([input.index], [y.index])));
  return path;
}

/** The fused model's reference computes the unfused layers' bytes, on `runs` inputs drawn from `seed`. */
export function expectSameReference(fused: Compiled, unfused: Compiled, seed: number, runs: number, label: string): void {
  const random = seededRandom(seed);
  for (let run = 0; run < runs; run++) {
    const inputs = randomInputs(fused.graph, random);
    expect(runReference(fused.graph, inputs).outputs, `${label} run ${run}`).toEqual(runReference(unfused.graph, inputs).outputs);
  }
}
