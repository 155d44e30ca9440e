/**
 * The data-movement ops (QLinearConcat/Concat, Pad, Resize, Squeeze, Unsqueeze and the 'qdq'
 * forms of the views) against ONNX Runtime on random models and inputs: identical bytes in onnx
 * mode; within 1 LSB in tflite mode (requantization by TFLM's integer rule), rate logged.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { oracleDiff } from '../helpers/oracle.ts';
import { seededRandom } from '../../src/util/random.ts';
import { saveModel } from './models.ts';
import { requantTable } from '../../src/ops/common/requant-table.ts';
import { addConcat, addPad, addResize, addView, type Added, type Rng } from './random-models.ts';

/** Models of `perModel` random subgraphs each, compared with ONNX Runtime in both modes. */
async function compare(seed: number, models: number, perModel: number, opset: number, add: (g: GraphBuilder, rng: Rng, tag: string) => Added) {
  const rng = seededRandom(seed);
  const total = { elements: 0, onnxMismatches: 0, tfliteMismatches: 0, tfliteMaxDiff: 0, firstOnnx: '' };
  for (let m = 0; m < models; m++) {
    const g = new GraphBuilder();
    const added = Array.from({ length: perModel }, (_, i) => add(g, rng, `m${m}o${i}`));
    const path = saveModel(g, { opset });
    const onnx = await oracleDiff(path, 'onnx', 3, seed + m);
    const tflite = await oracleDiff(path, 'tflite', 3, seed + m);
    total.elements += onnx.elements;
    total.onnxMismatches += onnx.mismatches;
    total.tfliteMismatches += tflite.mismatches;
    total.tfliteMaxDiff = Math.max(total.tfliteMaxDiff, tflite.maxDiff);
    if (onnx.first && !total.firstOnnx) total.firstOnnx = `${added[onnx.first.output]!.summary}: ${JSON.stringify(onnx.first)}`;
  }
  console.log(`${total.elements} elements: onnx ${total.onnxMismatches} mismatches; tflite ${total.tfliteMismatches} differ (${((100 * total.tfliteMismatches) / total.elements).toFixed(2)}%), at most by ${total.tfliteMaxDiff}`);
  return total;
}

describe('data movement vs ONNX Runtime', () => {
  const cases = [
    ['QLinearConcat (com.microsoft)', 101, 13, (g: GraphBuilder, rng: Rng, tag: string) => addConcat(g, rng, 'qoperator', tag)],
    ['Concat (QDQ)', 102, 13, (g: GraphBuilder, rng: Rng, tag: string) => addConcat(g, rng, 'qdq', tag)],
    ['Pad (int8/uint8)', 103, 19, (g: GraphBuilder, rng: Rng, tag: string) => addPad(g, rng, 'plain', tag)],
    ['Pad (QDQ)', 104, 19, (g: GraphBuilder, rng: Rng, tag: string) => addPad(g, rng, 'qdq', tag)],
    ['Resize nearest (int8/uint8)', 105, 19, (g: GraphBuilder, rng: Rng, tag: string) => addResize(g, rng, 'plain', tag)],
    ['Resize nearest (QDQ)', 106, 19, (g: GraphBuilder, rng: Rng, tag: string) => addResize(g, rng, 'qdq', tag)],
    ['views, axes as inputs (opset 13), plain and QDQ', 107, 13, (g: GraphBuilder, rng: Rng, tag: string) => addView(g, rng, rng() < 0.3 ? 'plain' : 'qdq', tag)],
    ['views, axes as attributes (opset 11), plain and QDQ', 108, 11, (g: GraphBuilder, rng: Rng, tag: string) => addView(g, rng, rng() < 0.3 ? 'plain' : 'qdq', tag, true)],
  ] as const;
  for (const [name, seed, opset, add] of cases) {
    it(`${name}: identical in onnx mode, within 1 LSB in tflite mode`, async () => {
      const total = await compare(seed, 4, 6, opset, add);
      expect(total.elements).toBeGreaterThan(500);
      expect(total.onnxMismatches, total.firstOnnx).toBe(0);
      expect(total.tfliteMaxDiff).toBeLessThanOrEqual(1);
    });
  }

  it('requantization tables: tflite mode within 1 LSB of onnx mode (which equals ONNX Runtime above) over every int8 value', () => {
    const rng = seededRandom(109);
    const node = { name: 'n', op: 'QLinearConcat', inputs: [], outputs: [], attrs: {} };
    let values = 0;
    let differ = 0;
    let maxDiff = 0;
    for (let k = 0; k < 2000; k++) {
      const s = () => Math.fround(2 ** -(2 + Math.floor(rng() * 7)) * (1 + rng()));
      const z = () => Math.floor(rng() * 256) - 128;
      const from = { scale: [s()], zeroPoint: [z()] };
      const to = k % 2 ? { scale: [s()], zeroPoint: [z()] } : { scale: [Math.fround(from.scale[0]! * [0.5, 2, 1.5, 4][k % 4]!)], zeroPoint: [z()] };
      const onnx = requantTable('onnx', node, from, to);
      const tflite = requantTable('tflite', node, from, to);
      for (let i = 0; i < 256; i++) {
        values++;
        const d = Math.abs(onnx[i]! - tflite[i]!);
        if (d) differ++;
        maxDiff = Math.max(maxDiff, d);
      }
    }
    console.log(`requantization tables: ${values} values, tflite differs from onnx in ${differ} (${((100 * differ) / values).toFixed(2)}%), at most by ${maxDiff}`);
    expect(maxDiff).toBe(1);
    expect(differ / values).toBeLessThan(0.1);
  });

  it('Resize-10, Upsample-9 and Upsample-7 (asymmetric coordinates, old nearest rule)', async () => {
    const build = (opset: number, make: (g: GraphBuilder, x: string) => string, scales?: number[]) => {
      const g = new GraphBuilder();
      const y = make(g, g.input('x', 'int8', [1, 2, 3, 5]));
      g.output(g.rename(y, 'y'), 'int8', []);
      return saveModel(g, { opset, floatLists: scales ? [{ output: 'y', name: 'scales', values: scales }] : [] });
    };
    const models = [
      build(10, (g, x) => g.node('Resize', [x, g.constant('float32', [4], [1, 1, 2.5, 0.6])], { mode: 'nearest' })[0]!),
      build(9, (g, x) => g.node('Upsample', [x, g.constant('float32', [4], [1, 1, 2, 1.5])], { mode: 'nearest' })[0]!),
      build(7, (g, x) => g.node('Upsample', [x], { mode: 'nearest' })[0]!, [1, 1, 2, 2.5]),
    ];
    for (const path of models) {
      const diff = await oracleDiff(path, 'onnx', 2);
      expect(diff.elements).toBeGreaterThan(50);
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    }
  });

  it('Resize: the measured half-way tolerance (1 / fround(2/7) = 3.4999998 rounds as 3.5) and shapes that do not change', async () => {
    // Hand derivation: with sizes 7 → 2 the scale is fround(2/7) = 0.28571430; output row 1 maps
    // to 1 / 0.28571430 = 3.4999998 in float32. round_prefer_ceil takes it as the half-way 3.5
    // (ONNX Runtime gives row 4), round_prefer_floor as 3.5 too (row 3).
    for (const [mode, row] of [['round_prefer_ceil', 4], ['round_prefer_floor', 3]] as const) {
      const g = new GraphBuilder();
      const x = g.input('x', 'int8', [1, 1, 7, 1]);
      const y = g.node('Resize', [x, '', '', g.constant('int64', [4], [1, 1, 2, 1])], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: mode })[0]!;
      g.output(g.rename(y, 'y'), 'int8', []);
      const path = saveModel(g, { opset: 19 });
      const { compileModel } = await import('../../src/pipeline.ts');
      const { runReference } = await import('../../src/reference/interpreter.ts');
      const out = runReference(compileModel({ modelPath: path }).graph, [{ dtype: 'int8', shape: [1, 1, 7, 1], data: Int8Array.from([10, 11, 12, 13, 14, 15, 16]) }]).outputs[0]!;
      expect(Array.from(out.data as Int8Array)).toEqual([10, 10 + row]);
      const diff = await oracleDiff(path, 'onnx', 2);
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    }
    // A shape that does not change is a copy in ONNX Runtime, whatever the coordinate mode says.
    const g = new GraphBuilder();
    const y = g.node('Resize', [g.input('x', 'int8', [1, 2, 3, 5]), '', g.constant('float32', [4], [1, 1, 1.1, 1.1])], { mode: 'nearest', coordinate_transformation_mode: 'tf_half_pixel_for_nn', nearest_mode: 'ceil' })[0]!;
    g.output(g.rename(y, 'y'), 'int8', []);
    const diff = await oracleDiff(saveModel(g, { opset: 13 }), 'onnx', 2);
    expect(diff.elements).toBe(60);
    expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
  });
});
