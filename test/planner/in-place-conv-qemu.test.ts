/**
 * Convolutions in place on the boards (pointwise over an input of another size, depthwise and
 * dense ones row by row through a ring): the DSP cores take the pair and 3x3 bodies, the M55 the MVE ones and the M0 the
 * portable ones; random chains where the planner chose each kind (widening, narrowing, depthwise
 * with strides 1 and 2, dense) and a hand-built narrowing one are validated bit-exact under QEMU, in both
 * rounding modes and with the inputs and outputs in the arena (--optimize ram, which takes every
 * such layer that lowers the arena). Residual blocks (ResidualRows) and a conv flattened into a
 * fully connected layer (ConvRowsGemm) run row by row.
 */
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/validate/validate.ts';
import { buildNetwork } from '../helpers/networks.ts';
import { chainsWithResizedInPlace, narrowingPointwise } from './random-graphs.ts';
import { convIntoDense } from './conv-rows-models.ts';
import { compileModel } from '../../src/pipeline.ts';

const boards = ['mps2-an386', 'mps3-an547', 'microbit'];
const models = [...chainsWithResizedInPlace(5, 2024, true).map((c) => c.path), narrowingPointwise()].map((path) => ({ path, boards }));
// resnet_block's residual block runs row by row (ResidualRows), in place over the stem's output;
// it does not fit the microbit's RAM beside the harness, so the portable body runs on the M3.
models.push({ path: buildNetwork('resnet_block', 'qop', 'int8'), boards: ['mps2-an386', 'mps3-an547', 'mps2-an385'] });
// A conv flattened into a fully connected layer, run row by row into its sums (ConvRowsGemm):
// random ones with a tail of units (not a multiple of the four the kernel takes at once) and without.
const convIntoDenseModels = models.length;
for (const units of [(u: number) => u % 4 !== 0, (u: number) => u % 4 === 0]) {
  for (let seed = 1; seed < 200; seed++) {
    const model = convIntoDense(seed);
    if (!units(model.units) || !compileModel({ modelPath: model.path, optimize: 'ram' }).graph.nodes.some((n) => n.op === 'ConvRowsGemm')) continue;
    models.push({ path: model.path, boards: ['mps2-an386', 'mps3-an547', 'mps2-an385'] });
    break;
  }
}

describe.concurrent('convolutions in place under QEMU', () => {
  it('has a conv into a fully connected layer with a tail of units and one without', () => {
    expect(models.length - convIntoDenseModels).toBe(2);
  });

  for (const [i, { path, boards }] of models.entries()) {
    for (const board of boards) {
      it(`model ${i} on ${board}`, async () => {
        for (const [rounding, io] of [['onnx', 'caller'], ['tflite', 'arena']] as const) {
          const report = await validate({ modelPath: path, board, inputs: 3, seed: i + 3, rounding, io, optimize: 'ram' });
          expect(report.failure, `${rounding} ${io}`).toBeUndefined();
          expect(report.mismatchCount, `${rounding} ${io}: ${JSON.stringify(report.mismatches.slice(0, 3))}`).toBe(0);
        }
      });
    }
  }
});
