/**
 * Random TFLite models whose last layers a ConvRowsGemm step runs (src/passes/line-buffer.ts): a
 * dense convolution of random kernel, stride and padding (after an optional 3x3 stem, so that its
 * input is an intermediate map), RESHAPE to one vector, FULLY_CONNECTED to 1..9 units. Scales as
 * a calibration would pick them (CalibratedSpecBuilder), so the bytes use the int8 range.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
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
  // A 1 x k_w window with k_w >= 2, so that the layer is never pointwise (the dense kernel's alone).
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
