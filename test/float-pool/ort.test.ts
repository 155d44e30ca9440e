/**
 * The float pools' reference against ONNX Runtime (the independent oracle) on random models.
 * AveragePool, MaxPool and GlobalMaxPool sum or compare in the same order as ONNX Runtime's CPU
 * kernels, so they must agree bit for bit; GlobalAveragePool and ReduceMean sum in row-major order
 * while ONNX Runtime uses vectorized partial sums, so they must agree within ONNX's tolerance
 * (rtol 1e-3, atol 1e-7), and the exact-agreement rate is only recorded.
 *
 * Left out of the random geometry: auto_pad SAME_* with dilations > 1 and SAME_* with a stride
 * larger than the window, where ONNX Runtime departs from the ONNX spec (see the last test).
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { runOrt } from '../helpers/ort.ts';
import { int, randomPool, randomReduce, reduceModel, singleNodeModel, type PoolCase } from './models.ts';

interface Agreement {
  elements: number;
  exact: number;
  withinTolerance: number;
  shapes: number;
}

async function agreement(paths: readonly string[], seed: number): Promise<Agreement> {
  const rng = seededRandom(seed);
  const a: Agreement = { elements: 0, exact: 0, withinTolerance: 0, shapes: 0 };
  for (const path of paths) {
    const compiled = compileModel({ modelPath: path, allowFloat: true });
    const values = randomInputs(compiled.graph, rng);
    const ours = runReference(compiled.graph, values).outputs[0]!;
    const theirs = (await runOrt(path, compiled.graph.inputs, values))[0]!;
    if (ours.shape.join() !== theirs.shape.join()) continue;
    a.shapes++;
    const x = ours.data as Float32Array;
    const y = theirs.data as Float32Array;
    for (let i = 0; i < y.length; i++) {
      a.elements++;
      if (Object.is(x[i], y[i])) a.exact++;
      if (Math.abs(x[i]! - y[i]!) <= 1e-7 + 1e-3 * Math.abs(y[i]!)) a.withinTolerance++;
    }
  }
  return a;
}

/** Whether ONNX Runtime's own SAME padding (no dilation in it, no clamp at 0) matches the spec's here. */
function ortSameAgrees(c: PoolCase): boolean {
  if (c.attrs.auto_pad !== 'SAME_UPPER' && c.attrs.auto_pad !== 'SAME_LOWER') return true;
  const kernel = c.attrs.kernel_shape as number[];
  const strides = c.attrs.strides as number[];
  return !c.attrs.dilations && kernel.every((k, d) => strides[d]! <= k);
}

function pools(op: PoolCase['opType'], count: number, seed: number): { paths: string[]; ceilDrops: number } {
  const rng = seededRandom(seed);
  const paths: string[] = [];
  let ceilDrops = 0;
  while (paths.length < count) {
    const c = randomPool(rng, op);
    if (!ortSameAgrees(c)) continue;
    // Count the cases where ceil_mode's last window would start in the end padding and is dropped.
    if (c.attrs.ceil_mode === 1) {
      const kernel = c.attrs.kernel_shape as number[];
      const pads = (c.attrs.pads as number[] | undefined) ?? kernel.concat(kernel).map(() => 0);
      const dil = (c.attrs.dilations as number[] | undefined) ?? kernel.map(() => 1);
      const s = c.attrs.strides as number[];
      kernel.forEach((k, d) => {
        const room = c.shape[d + 2]! + pads[d]! + pads[d + kernel.length]! - (k - 1) * dil[d]! - 1;
        if (Math.ceil(room / s[d]!) * s[d]! >= c.shape[d + 2]! + pads[d]!) ceilDrops++;
      });
    }
    paths.push(singleNodeModel(op, c.shape, c.attrs, 22));
  }
  return { paths, ceilDrops };
}

describe('float pools vs ONNX Runtime', () => {
  it('AveragePool: bit-exact on random 1-D to 3-D windows', async () => {
    const { paths, ceilDrops } = pools('AveragePool', 80, 21);
    expect(ceilDrops).toBeGreaterThan(0);
    const a = await agreement(paths, 1);
    expect(a.shapes).toBe(paths.length);
    expect(a.exact).toBe(a.elements);
    expect(a.elements).toBeGreaterThan(1000);
  });

  it('MaxPool: bit-exact on random 1-D to 3-D windows', async () => {
    const { paths, ceilDrops } = pools('MaxPool', 80, 22);
    expect(ceilDrops).toBeGreaterThan(0);
    const a = await agreement(paths, 2);
    expect(a.shapes).toBe(paths.length);
    expect(a.exact).toBe(a.elements);
    expect(a.elements).toBeGreaterThan(1000);
  });

  it('GlobalMaxPool bit-exact, GlobalAveragePool within tolerance', async () => {
    const rng = seededRandom(23);
    const shapes = Array.from({ length: 40 }, () => [int(rng, 1, 2), int(rng, 1, 4), ...Array.from({ length: int(rng, 1, 3) }, () => int(rng, 1, 9))]);
    const max = await agreement(shapes.map((s) => singleNodeModel('GlobalMaxPool', s, {}, 22)), 3);
    expect(max.shapes).toBe(shapes.length);
    expect(max.exact).toBe(max.elements);
    const avg = await agreement(shapes.map((s) => singleNodeModel('GlobalAveragePool', s, {}, 22)), 3);
    expect(avg.shapes).toBe(shapes.length);
    expect(avg.withinTolerance).toBe(avg.elements);
  });

  it('ReduceMean within tolerance, opset 13 (axes attribute) and 18 (axes input, noop_with_empty_axes)', async () => {
    const rng = seededRandom(24);
    const cases = Array.from({ length: 40 }, () => randomReduce(rng));
    for (const opset of [13, 18] as const) {
      const a = await agreement(cases.map((c) => reduceModel(c, opset)), 4);
      expect(a.shapes).toBe(cases.length);
      expect(a.withinTolerance).toBe(a.elements);
    }
  });

  it('a window with no tap inside the input gives ONNX Runtime\'s values (+0, -FLT_MAX)', async () => {
    // Input of 2, kernel 2, dilation 3, pads 1 / 1: the only window's taps are at -1 and 2.
    const empty = { kernel_shape: [2], dilations: [3], pads: [1, 1] };
    const paths = [
      singleNodeModel('AveragePool', [1, 3, 2], empty, 22),
      singleNodeModel('AveragePool', [1, 3, 2], { ...empty, count_include_pad: 1 }, 22),
      singleNodeModel('MaxPool', [1, 3, 2], empty, 22),
    ];
    const a = await agreement(paths, 5);
    expect(a).toEqual({ elements: 9, exact: 9, withinTolerance: 9, shapes: 3 });
  });

  it('SAME padding with dilations follows the spec (out = ceil(in / stride)), where ONNX Runtime does not', async () => {
    // in 13, kernel 3, stride 3, dilation 3: the spec's output is ceil(13 / 3) = 5 with total
    // padding (5 - 1) * 3 + (3 - 1) * 3 + 1 - 13 = 6, split 3 / 3 for SAME_UPPER. ONNX Runtime
    // pads by (5 - 1) * 3 + 3 - 13 = 2 (the undilated kernel) and outputs 3.
    const path = singleNodeModel('MaxPool', [1, 1, 13], { kernel_shape: [3], strides: [3], dilations: [3], auto_pad: 'SAME_UPPER' }, 22);
    const compiled = compileModel({ modelPath: path, allowFloat: true });
    const x = Float32Array.from({ length: 13 }, (_, i) => i);
    const ours = runReference(compiled.graph, [{ dtype: 'float32', shape: [1, 1, 13], data: x }]).outputs[0]!;
    // Window o starts at 3o - 3, taps 3 apart: o=0 → {-3, 0, 3}, 1 → {0, 3, 6}, ... 4 → {9, 12, 15}.
    expect(Array.from(ours.data as Float32Array)).toEqual([3, 6, 9, 12, 12]);
    const theirs = (await runOrt(path, compiled.graph.inputs, [{ dtype: 'float32', shape: [1, 1, 13], data: x }]))[0]!;
    expect(theirs.shape).toEqual([1, 1, 3]);
  });
});
