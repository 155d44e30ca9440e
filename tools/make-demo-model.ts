/**
 * Writes examples/demo_cnn.onnx, the model `tinygen demo` compiles: a small uint8 QOperator CNN
 * (conv, depthwise conv, pointwise conv, max pools, a fully connected layer) with seeded weights.
 * Run: npx tsx tools/make-demo-model.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder } from '../test/helpers/onnx-builder.ts';
import { seededRandom } from '../src/util/random.ts';
import { PACKAGE_ROOT } from '../src/version.ts';

const random = seededRandom(2026);
const values = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + Math.floor(random() * (hi - lo + 1)));
const g = new GraphBuilder();

function conv(x: string, inScale: number, inZero: number, outC: number, inPerGroup: number, k: number, group: number, outScale: number) {
  const w = g.constant('int8', [outC, inPerGroup, k, k], values(outC * inPerGroup * k * k, -127, 127));
  const wScale = g.constant('float32', [outC], values(outC, 2, 6).map((v) => v / 1000));
  const wZero = g.constant('int8', [outC], new Array(outC).fill(0));
  const bias = g.constant('int32', [outC], values(outC, -500, 500));
  const pad = (k - 1) / 2;
  return g.node('QLinearConv', [x, g.scalar(inScale), g.scalar(inZero, 'uint8'), w, wScale, wZero, g.scalar(outScale), g.scalar(0, 'uint8'), bias], {
    kernel_shape: [k, k],
    pads: [pad, pad, pad, pad],
    group,
  })[0]!;
}

const input = g.input('image', 'uint8', [1, 1, 12, 12]);
let x = conv(input, 1 / 255, 0, 4, 1, 3, 1, 0.02);
x = g.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] })[0]!;
x = conv(x, 0.02, 0, 4, 1, 3, 4, 0.02); // depthwise
x = conv(x, 0.02, 0, 8, 4, 1, 1, 0.03); // pointwise
x = g.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] })[0]!;
x = g.node('Flatten', [x], { axis: 1 })[0]!;
const w = g.constant('int8', [72, 5], values(72 * 5, -127, 127));
x = g.node('QLinearMatMul', [x, g.scalar(0.03), g.scalar(0, 'uint8'), w, g.scalar(0.004), g.scalar(0, 'int8'), g.scalar(0.1), g.scalar(128, 'uint8')])[0]!;
g.output(g.rename(x, 'scores'), 'uint8', [1, 5]);

const path = join(PACKAGE_ROOT, 'examples', 'demo_cnn.onnx');
writeFileSync(path, g.encode());
console.log(`wrote ${path}`);
