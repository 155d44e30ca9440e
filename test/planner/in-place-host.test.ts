/**
 * In-place ops compute the right bytes: models in which the planner lets elementwise ops write
 * over their dying input (lookups, a broadcast multiply over its full-shape operand, a residual
 * add, float ops, a requantizing copy, a uint8 output converted in the output buffer) are
 * checked to run in place, then compiled for the host under ASan/UBSan and compared with the
 * reference, byte for byte.
 */
import { describe, expect, it } from 'vitest';
import type { OptimizeGoal } from '../../src/ops/op.ts';
import { compileModel } from '../../src/pipeline.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { buildNetwork } from '../helpers/networks.ts';
import { chainsWithResizedInPlace, narrowingPointwise, paddedPointwise } from './random-graphs.ts';

const MS = { domain: 'com.microsoft' };

/** conv → squeeze-excite (pool, sigmoid; LeakyRelu; broadcast multiply) → residual add of a conv branch → conv. */
function quantizedModel(): string {
  const g = new GraphBuilder();
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  let seed = 5;
  const conv = (input: string, cin: number, cout: number) => {
    const w = g.constant('int8', [cout, cin, 3, 3], Array.from({ length: cout * cin * 9 }, () => ((seed = (seed * 29 + 7) % 97) - 48)));
    return g.node('QLinearConv', [input, s(0.05), z(0), w, s(0.01), z(0), s(0.05), z(0)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })[0]!;
  };
  const x = g.input('x', 'int8', [1, 3, 8, 8]);
  const c = conv(x, 3, 4);
  // The pool reads the conv's output before the LeakyRelu does, so the LeakyRelu is its last reader.
  const pooled = g.node('QLinearGlobalAveragePool', [c, s(0.05), z(0), s(0.05), z(0)], { channels_last: 0 }, MS)[0]!;
  const gate = g.node('QLinearSigmoid', [pooled, s(0.05), z(0), s(1 / 256), z(-128)], {}, MS)[0]!;
  const act = g.node('QLinearLeakyRelu', [c, s(0.05), z(0), s(0.05), z(0)], { alpha: { float: 0.1 } }, MS)[0]!;
  // The gate [1, 4, 1, 1] is input 0; the full-shape operand, which may be overwritten, is input 1.
  const scaled = g.node('QLinearMul', [gate, s(1 / 256), z(-128), act, s(0.05), z(0), s(0.05), z(0)], {}, MS)[0]!;
  const branch = conv(conv(scaled, 4, 4), 4, 4);
  const sum = g.node('QLinearAdd', [scaled, s(0.05), z(0), branch, s(0.05), z(0), s(0.05), z(0)], {}, MS)[0]!;
  const y = conv(sum, 4, 2);
  g.output(g.rename(y, 'y'), 'int8', []);
  return g.save();
}

/** Float ops: Mul of the two inputs, then Relu, Add of a broadcast constant, Sigmoid: each over the last. */
function floatModel(): string {
  const g = new GraphBuilder();
  const a = g.input('a', 'float32', [2, 3, 5]);
  const b = g.input('b', 'float32', [2, 3, 5]);
  const product = g.node('Mul', [a, b])[0]!;
  const relu = g.node('Relu', [product])[0]!;
  const shifted = g.node('Add', [relu, g.constant('float32', [5], [0.5, -1, 2, -0.25, 0])])[0]!;
  const y = g.node('Sigmoid', [shifted])[0]!;
  g.output(g.rename(y, 'y'), 'float32', []);
  return g.save();
}

/** conv → (QDQ) Identity requantized to another scale → conv: the Identity is a table copy, not a view. */
function requantizingCopyModel(): string {
  const g = new GraphBuilder();
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  const conv = (input: string, inScale: number, inZero: number, cin: number, cout: number) => {
    const w = g.constant('int8', [cout, cin, 3, 3], Array.from({ length: cout * cin * 9 }, (_, i) => ((i * 13) % 41) - 20));
    return g.node('QLinearConv', [input, s(inScale), z(inZero), w, s(0.01), z(0), s(0.05), z(0)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })[0]!;
  };
  const x = g.input('x', 'int8', [1, 2, 6, 6]);
  const c = conv(x, 0.05, 0, 2, 3);
  const f = g.node('DequantizeLinear', [c, s(0.05), z(0)])[0]!;
  const copy = g.node('Identity', [f])[0]!;
  const q = g.node('QuantizeLinear', [copy, s(0.08), z(1)])[0]!;
  const y = conv(q, 0.08, 1, 3, 2);
  g.output(g.rename(y, 'y'), 'int8', []);
  return g.save();
}

/** Names of the nodes that run in place, by op. */
/** The ops other than convolutions that run in place (convolutions: the last describe). */
function inPlaceOps(modelPath: string, allowFloat = false, optimize: OptimizeGoal = 'balanced'): string[] {
  const { graph, plan } = compileModel({ modelPath, allowFloat, optimize });
  return graph.nodes.filter((n, step) => plan.inPlaceSteps.has(step) && n.op !== 'QLinearConv').map((n) => n.op);
}

describe('in-place ops on the host (ASan/UBSan) against the reference', () => {
  it('lookups, a broadcast multiply over its second operand, and a residual add', async () => {
    const path = quantizedModel();
    // The sigmoid's input (the pooled map) dies there; the LeakyRelu's input dies there; the
    // multiply's full-shape operand (input 1) dies there; the add's inputs both die there.
    // Every layer apart (--optimize time): the add is not folded into a row-by-row block.
    expect(inPlaceOps(path, false, 'time')).toEqual(['QLinearLookup', 'QLinearLookup', 'QLinearMul', 'QLinearAdd']);
    for (const rounding of ['onnx', 'tflite'] as const) {
      const diff = await hostDiff(path, rounding, 8, 11, { optimize: 'time' });
      expect(diff.bytes).toBe(2 * 8 * 8 * 8);
      expect(diff.mismatches, `${rounding}: ${JSON.stringify(diff.first)}`).toBe(0);
    }
  }, 120_000);

  it('float ops, the last one writing over its input in the output buffer', async () => {
    const path = floatModel();
    // Mul reads the two API inputs (const): it writes a fresh buffer; Relu, Add and Sigmoid each
    // overwrite their dying input.
    expect(inPlaceOps(path, true)).toEqual(['FloatRelu', 'FloatAdd', 'FloatSigmoid']);
    const { plan } = compileModel({ modelPath: path, allowFloat: true });
    // Everything after the Mul runs in the output buffer, so the arena is empty.
    expect(plan.arenaBytes).toBe(0);
    const diff = await hostDiff(path, 'onnx', 6, 2, { allowFloat: true });
    expect(diff.bytes).toBe(2 * 3 * 5 * 4 * 6);
    expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
  }, 120_000);

  it('a requantizing copy', async () => {
    const path = requantizingCopyModel();
    expect(inPlaceOps(path)).toEqual(['Identity']);
    for (const rounding of ['onnx', 'tflite'] as const) {
      const diff = await hostDiff(path, rounding, 6, 4);
      expect(diff.mismatches, `${rounding}: ${JSON.stringify(diff.first)}`).toBe(0);
    }
  }, 120_000);

  it('a uint8 residual network: the add in place and the output converted in the output buffer', async () => {
    const path = buildNetwork('resnet_block', 'qop', 'uint8');
    expect(inPlaceOps(path, false, 'time')).toEqual(['QLinearAdd', 'ConvertUint8']);
    const diff = await hostDiff(path, 'onnx', 6, 9, { optimize: 'time' });
    expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
  }, 120_000);

  it('a residual block run row by row (ResidualRows), in place over its input, in both roundings and io placements', async () => {
    const path = buildNetwork('resnet_block', 'qop', 'uint8');
    expect(inPlaceOps(path)).toEqual(['ResidualRows', 'ConvertUint8']);
    for (const [rounding, io] of [['onnx', 'caller'], ['tflite', 'arena']] as const) {
      const diff = await hostDiff(path, rounding, 6, 9, { io });
      expect(diff.mismatches, `${rounding} ${io}: ${JSON.stringify(diff.first)}`).toBe(0);
    }
  }, 120_000);
});

describe('convolutions in place on the host (ASan/UBSan, --optimize ram): pointwise, depthwise and dense', () => {
  it('compute the reference bytes, widening, narrowing, depthwise with strides 1 and 2, dense, both rounding modes', async () => {
    const chains = chainsWithResizedInPlace(5, 2024, true);
    for (const kind of ['widens', 'narrows', 'depthwiseStride1', 'depthwiseStride2', 'dense'] as const) expect(chains.some((c) => c[kind]), kind).toBe(true);
    const narrowing = narrowingPointwise();
    const { graph, plan } = compileModel({ modelPath: narrowing, optimize: 'ram' });
    const pointwise = graph.nodes.findIndex((n, step) => n.op === 'QLinearConv' && step > 1 && plan.inPlaceSteps.has(step));
    expect(pointwise).toBeGreaterThan(0);
    // In place the pointwise step holds 648 B and its 2 x 6 B temp (16 B aligned): 664 B; the peak
    // is now the 3x3 conv (its input is the caller's): its 648 B output and its patch of two 9-tap
    // pixels (18 B, 24 aligned), 672 B. Apart, the pointwise step would hold 648 + 488 B.
    expect(plan.arenaBytes).toBe(648 + 24);
    for (const path of [...chains.map((c) => c.path), narrowing, paddedPointwise()]) {
      for (const rounding of ['onnx', 'tflite'] as const) {
        const diff = await hostDiff(path, rounding, 3, 11, { optimize: 'ram' });
        expect(diff.mismatches, `${path} ${rounding}: ${JSON.stringify(diff.first)}`).toBe(0);
      }
    }
  });
});
