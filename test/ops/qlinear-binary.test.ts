/**
 * QLinearAdd and QLinearMul: ONNX conformance data, ONNX Runtime on every pair of input values
 * and on random broadcasting models (QOperator and QDQ forms), the C kernels against the
 * reference on the host (ASan/UBSan), the NHWC layout of residual and per-channel cases, and the
 * errors for bad input.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readOnnxTestCase } from '../../src/conformance/onnx-test.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { seededRandom } from '../../src/util/random.ts';
import { fmaf } from '../../src/numerics/fma.ts';
import { UserError } from '../../src/errors.ts';
import type { Value } from '../../src/ops/op.ts';
import { SHARED } from '../helpers/paths.ts';
import { GraphBuilder, type ElemType } from '../helpers/onnx-builder.ts';
import { runOrt } from '../helpers/ort.ts';
import { oracleDiff } from '../helpers/oracle.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { buildBinaryModel, describeSpec, outputShape, randomBinarySpec, type BinaryOp } from './qlinear-binary-models.ts';

const f32 = Math.fround;
type Dtype = 'int8' | 'uint8';

describe('QLinearAdd / QLinearMul: ONNX conformance data (onnx rounding)', () => {
  for (const name of ['test_qlinearadd_int8', 'test_qlinearadd_uint8', 'test_qlinearmul_int8', 'test_qlinearmul_uint8']) {
    it(name, () => {
      const test = readOnnxTestCase(join(SHARED, 'conformance', 'extra', name));
      const compiled = compileModel({ modelPath: test.modelPath, bindings: test.bindings, rounding: 'onnx' });
      for (const set of test.dataSets) {
        const { outputs } = runReference(compiled.graph, [{ dtype: set.input.dtype, shape: set.input.shape, data: set.input.data! }]);
        expect(outputs).toHaveLength(set.outputs.length);
        outputs.forEach((out, i) => {
          expect(out.dtype).toBe(set.outputs[i]!.dtype);
          expect(out.shape).toEqual(set.outputs[i]!.shape);
          expect(Array.from(out.data as ArrayLike<number>)).toEqual(Array.from(set.outputs[i]!.data as ArrayLike<number>));
        });
      }
    });
  }
});

/**
 * Every (a, b) pair of a type, in the three ways ONNX Runtime's broadcaster can run them:
 * 'general' (both vary along the innermost axis), 'scalarB' (B repeats along it), 'scalarA'
 * (A repeats: ONNX Runtime swaps the operands).
 */
type Kind = 'general' | 'scalarB' | 'scalarA';

interface PairModel {
  path: string;
  inputs: Value[];
  /** For output element i: the (a, b) values in the model's type. */
  pair(i: number): [number, number];
}

function pairModel(op: BinaryOp, dtype: Dtype, kind: Kind, scales: number[], zeros: number[]): PairModel {
  const lo = dtype === 'int8' ? -128 : 0;
  const g = new GraphBuilder();
  const aShape = kind === 'scalarA' ? [256, 1] : [256, 256];
  const bShape = kind === 'scalarB' ? [256, 1] : [256, 256];
  const a = g.input('a', dtype, aShape);
  const b = g.input('b', dtype, bShape);
  const [y] = g.node(op, [a, g.scalar(scales[0]!), g.scalar(zeros[0]!, dtype), b, g.scalar(scales[1]!), g.scalar(zeros[1]!, dtype), g.scalar(scales[2]!), g.scalar(zeros[2]!, dtype)], {}, { domain: 'com.microsoft' });
  g.output(g.rename(y!, 'y'), dtype, [256, 256]);
  // The full operand holds lo + column; the [256, 1] one holds lo + row (a general pair: b = lo + row).
  const full = Uint8Array.from({ length: 65536 }, (_, i) => (i % 256) + (dtype === 'int8' ? 128 : 0)); // bytes of lo + column
  const rows = Uint8Array.from({ length: 256 }, (_, i) => i + (dtype === 'int8' ? 128 : 0));
  const fullRows = Uint8Array.from({ length: 65536 }, (_, i) => (i >> 8) + (dtype === 'int8' ? 128 : 0));
  const typed = (bytes: Uint8Array) => (dtype === 'int8' ? new Int8Array(bytes.buffer) : bytes);
  const aData = kind === 'scalarA' ? rows : full;
  const bData = kind === 'scalarB' ? rows : kind === 'general' ? fullRows : full;
  const inputs: Value[] = [
    { dtype, shape: aShape, data: typed(aData) },
    { dtype, shape: bShape, data: typed(bData) },
  ];
  const pair = (i: number): [number, number] => {
    const col = lo + (i % 256);
    const row = lo + (i >> 8);
    return kind === 'scalarA' ? [row, col] : [col, row];
  };
  return { path: g.save(), inputs, pair };
}

/** ONNX Runtime's conversion: half to even, saturated (values here are far from int32 limits). */
function convert(v: number, dtype: Dtype): number {
  const r = Math.round(v);
  const even = r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
  return dtype === 'int8' ? Math.min(127, Math.max(-128, even)) : Math.min(255, Math.max(0, even));
}

/** Plausible formulas ONNX Runtime does not use: each one must disagree with it somewhere below. */
function alternative(op: BinaryOp, kind: Kind, dtype: Dtype, s: number[], z: number[], a: number, b: number): number {
  if (op === 'QLinearMul') return convert(fmaf((a - z[0]!) * (b - z[1]!), f32(f32(s[0]! * s[1]!) / s[2]!), z[2]!), dtype); // fused
  // Every operation rounded on its own (no FMA), operands in model order.
  const [x, y, zx, zy, rx, ry] = kind === 'scalarA' ? [b, a, z[1]!, z[0]!, f32(s[1]! / s[2]!), f32(s[0]! / s[2]!)] : [a, b, z[0]!, z[1]!, f32(s[0]! / s[2]!), f32(s[1]! / s[2]!)];
  const fixed = f32(z[2]! - f32(f32(rx * zx) + f32(ry * zy)));
  return convert(f32(f32(f32(y * ry) + fixed) + f32(x * rx)), dtype);
}

async function compareAll(op: BinaryOp, dtype: Dtype, kind: Kind, scales: number[], zeros: number[]) {
  const model = pairModel(op, dtype, kind, scales, zeros);
  const [theirs] = await runOrt(model.path, ['a', 'b'], model.inputs);
  const ortValues = Array.from(theirs!.data as ArrayLike<number>);
  const result: Record<'onnx' | 'tflite', { mismatches: number; maxDiff: number }> = { onnx: { mismatches: 0, maxDiff: 0 }, tflite: { mismatches: 0, maxDiff: 0 } };
  for (const rounding of ['onnx', 'tflite'] as const) {
    const compiled = compileModel({ modelPath: model.path, rounding });
    const ours = Array.from(runReference(compiled.graph, model.inputs).outputs[0]!.data as ArrayLike<number>);
    ours.forEach((v, i) => {
      const d = Math.abs(v - ortValues[i]!);
      if (d !== 0) result[rounding].mismatches++;
      result[rounding].maxDiff = Math.max(result[rounding].maxDiff, d);
    });
  }
  let alternativeMismatches = 0;
  ortValues.forEach((v, i) => {
    const [a, b] = model.pair(i);
    if (alternative(op, kind, dtype, scales, zeros, a, b) !== v) alternativeMismatches++;
  });
  return { ...result, alternativeMismatches, elements: ortValues.length };
}

/** Scale sets: k / 2^n sets (exact ratios, so many .5 ties), then ones where the alternative formula differs from ours. */
function scaleSets(op: BinaryOp, kind: Kind, dtype: Dtype, seed: number, discriminating: number): { scales: number[]; zeros: number[] }[] {
  const rng = seededRandom(seed);
  const lo = dtype === 'int8' ? -128 : 0;
  const zero = () => lo + Math.floor(rng() * 256);
  const sets = [
    { scales: [f32(3 / 64), f32(5 / 128), f32(op === 'QLinearMul' ? 1 / 8 : 1 / 16)], zeros: [zero(), zero(), zero()] },
    { scales: [f32(1 / 32), f32(1 / 32), f32(1 / 16)], zeros: [zero(), zero(), zero()] },
  ];
  for (let tries = 0; tries < 400 && sets.length < 2 + discriminating; tries++) {
    const scales = [f32(0.05 * Math.exp((rng() - 0.5) * 4)), f32(0.05 * Math.exp((rng() - 0.5) * 4)), f32((op === 'QLinearMul' ? 0.3 : 0.08) * Math.exp((rng() - 0.5) * 3))];
    const zeros = [zero(), zero(), zero()];
    const rx = f32(scales[0]! / scales[2]!);
    const ry = f32(scales[1]! / scales[2]!);
    const ratio = f32(f32(scales[0]! * scales[1]!) / scales[2]!);
    let differs = false;
    for (let i = 0; i < 65536 && !differs; i++) {
      const a = lo + (i % 256);
      const b = lo + (i >> 8);
      const [x, y, zx, zy, ax, ay] = kind === 'scalarA' ? [b, a, zeros[1]!, zeros[0]!, ry, rx] : [a, b, zeros[0]!, zeros[1]!, rx, ry];
      const ours =
        op === 'QLinearMul'
          ? convert(f32(f32((a - zeros[0]!) * (b - zeros[1]!) * ratio) + zeros[2]!), dtype)
          : convert(fmaf(x, ax, fmaf(y, ay, f32(zeros[2]! - fmaf(ax, zx, f32(ay * zy))))), dtype);
      differs = ours !== alternative(op, kind, dtype, scales, zeros, a, b);
    }
    if (differs) sets.push({ scales, zeros });
  }
  return sets;
}

describe('QLinearAdd / QLinearMul against ONNX Runtime on every pair of input values', () => {
  const cases: [BinaryOp, Kind][] = [
    ['QLinearAdd', 'general'],
    ['QLinearAdd', 'scalarB'],
    ['QLinearAdd', 'scalarA'],
    ['QLinearMul', 'general'],
    ['QLinearMul', 'scalarA'],
  ];
  for (const [op, kind] of cases) {
    for (const dtype of ['int8', 'uint8'] as const) {
      it(`${op} ${kind} ${dtype}: identical in onnx mode, within 1 in tflite mode`, async () => {
        const sets = scaleSets(op, kind, dtype, op.length * 31 + kind.length * 7 + dtype.length, 2);
        expect(sets.length).toBe(4);
        let elements = 0;
        let alternativeMismatches = 0;
        let tfliteOff = 0;
        for (const { scales, zeros } of sets) {
          const r = await compareAll(op, dtype, kind, scales, zeros);
          expect(r.onnx.mismatches, `scales ${scales} zero points ${zeros}`).toBe(0);
          expect(r.tflite.maxDiff, `scales ${scales} zero points ${zeros}`).toBeLessThanOrEqual(1);
          elements += r.elements;
          alternativeMismatches += r.alternativeMismatches;
          tfliteOff += r.tflite.mismatches;
        }
        // The data tells the formulas apart: a plausible alternative order of rounding disagrees.
        expect(alternativeMismatches).toBeGreaterThan(0);
        console.log(`${op} ${kind} ${dtype}: ${elements} elements identical to ONNX Runtime; tflite mode off by one in ${tfliteOff} (${((100 * tfliteOff) / elements).toFixed(3)}%)`);
      });
    }
  }
});

describe('QLinearAdd / QLinearMul against ONNX Runtime when results leave the int32 range', () => {
  // ONNX Runtime's x86 conversion turns an out-of-range float into INT32_MIN, which then
  // saturates to the type's minimum, even for a huge positive value.
  for (const op of ['QLinearAdd', 'QLinearMul'] as const) {
    for (const dtype of ['int8', 'uint8'] as const) {
      it(`${op} ${dtype}`, async () => {
        const lo = dtype === 'int8' ? -128 : 0;
        const g = new GraphBuilder();
        const a = g.input('a', dtype, [256]);
        const b = g.input('b', dtype, [256]);
        const [y] = g.node(op, [a, g.scalar(1000), g.scalar(lo + 128, dtype), b, g.scalar(0.5), g.scalar(lo + 128, dtype), g.scalar(1e-6), g.scalar(lo + 128, dtype)], {}, { domain: 'com.microsoft' });
        g.output(g.rename(y!, 'y'), dtype, [256]);
        const path = g.save();
        const bytes = (f: (i: number) => number) => Uint8Array.from({ length: 256 }, (_, i) => f(i) & 255);
        const typed = (u: Uint8Array) => (dtype === 'int8' ? new Int8Array(u.buffer) : u);
        const inputs: Value[] = [
          { dtype, shape: [256], data: typed(bytes((i) => lo + i)) },
          { dtype, shape: [256], data: typed(bytes((i) => lo + ((i * 7) % 256))) },
        ];
        const [theirs] = await runOrt(path, ['a', 'b'], inputs);
        const ours = runReference(compileModel({ modelPath: path }).graph, inputs).outputs[0]!;
        const ortValues = Array.from(theirs!.data as ArrayLike<number>);
        expect(Array.from(ours.data as ArrayLike<number>)).toEqual(ortValues);
        expect(ortValues.filter((v) => v === lo).length).toBeGreaterThan(200); // most values overflowed
      });
    }
  }
});

describe('QLinearAdd / QLinearMul against ONNX Runtime on random broadcasting models', () => {
  for (const op of ['QLinearAdd', 'QLinearMul'] as const) {
    for (const form of ['qoperator', 'qdq'] as const) {
      it(`${op} ${form}: identical in onnx mode, within 1 in tflite mode`, async () => {
        const rng = seededRandom(op.length * 101 + form.length);
        const totals = { elements: 0, tfliteOff: 0 };
        for (let i = 0; i < 12; i++) {
          const spec = randomBinarySpec(rng, op, form);
          const path = buildBinaryModel(spec, rng);
          const onnx = await oracleDiff(path, 'onnx', 3, i + 1);
          expect(onnx.mismatches, `${describeSpec(spec)} ${JSON.stringify(onnx.first)}`).toBe(0);
          const tflite = await oracleDiff(path, 'tflite', 3, i + 1);
          expect(tflite.maxDiff, describeSpec(spec)).toBeLessThanOrEqual(1);
          totals.elements += onnx.elements;
          totals.tfliteOff += tflite.mismatches;
        }
        expect(totals.elements).toBeGreaterThan(500);
        console.log(`${op} ${form} random models: ${totals.elements} elements identical to ONNX Runtime; tflite mode off by one in ${totals.tfliteOff}`);
      });
    }
  }
});

describe('QDQ Add / Mul followed by Relu or Clip', () => {
  for (const [op, act, dtype] of [['Add', 'Relu', 'uint8'], ['Mul', 'Clip', 'int8'], ['Add', 'Clip', 'int8'], ['Mul', 'Relu', 'uint8']] as const) {
    it(`${op} + ${act} ${dtype}: the activation folds into the op; identical to ONNX Runtime`, async () => {
      const lo = dtype === 'int8' ? -128 : 0;
      const g = new GraphBuilder();
      const dq = (x: string, s: number, z: number) => g.node('DequantizeLinear', [x, g.scalar(f32(s)), g.scalar(lo + z, dtype)])[0]!;
      const a = dq(g.input('a', dtype, [64, 128]), 0.0437, 101);
      const b = dq(g.input('b', dtype, [128]), 0.0271, 140);
      let y = g.node(op, [a, b])[0]!;
      y = act === 'Relu' ? g.node('Relu', [y])[0]! : g.node('Clip', [y, g.scalar(-0.7), g.scalar(op === 'Add' ? 3.1 : 9.5)])[0]!;
      const [q] = g.node('QuantizeLinear', [y, g.scalar(f32(op === 'Add' ? 0.0533 : 0.0871)), g.scalar(lo + (act === 'Relu' ? 20 : 120), dtype)]);
      g.output(g.rename(q!, 'y'), dtype, [64, 128]);
      const path = g.save();
      const ops = compileModel({ modelPath: path }).graph.nodes.map((n) => n.op);
      expect(ops).toContain(`QLinear${op}`);
      expect(ops).not.toContain('Clamp');
      const diff = await oracleDiff(path, 'onnx', 4);
      expect(diff.elements).toBe(4 * 64 * 128);
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    });
  }
});

/** One model with several nodes covering the kernels' paths: same shapes, repeated operands on either side, outer-axis broadcast, constants. */
function kernelPathsModel(dtype: Dtype, seed: number, overflow: boolean): string {
  const rng = seededRandom(seed);
  const g = new GraphBuilder();
  const lo = dtype === 'int8' ? -128 : 0;
  const byte = () => lo + Math.floor(rng() * 256);
  // k / 2^n scales: exact ratios put many results on .5 ties.
  const scale = () => f32(rng() < 0.5 ? (1 + Math.floor(rng() * 7)) / 64 : 0.01 + rng() * 0.05);
  const q = (s: number) => [g.scalar(f32(s)), g.scalar(byte(), dtype as ElemType)];
  const a = g.input('a', dtype, [16, 256]);
  const b = g.input('b', dtype, [16, 256]);
  const r = g.input('r', dtype, [16, 1]);
  const row = g.constant(dtype, [256], Array.from({ length: 256 }, byte));
  const scalar = g.constant(dtype, [], [byte()]);
  // Each tensor has one quantization wherever it is used.
  const quant = new Map([a, b, r, row, scalar].map((t) => [t, q(scale())]));
  const nodes: [BinaryOp, string, string][] = [
    ['QLinearAdd', a, b],
    ['QLinearAdd', a, r],
    ['QLinearAdd', r, a],
    ['QLinearAdd', row, a],
    ['QLinearMul', a, b],
    ['QLinearMul', r, a],
    ['QLinearMul', scalar, a],
    ['QLinearMul', a, row],
  ];
  nodes.forEach(([op, x, y], i) => {
    const [out] = g.node(op, [x, ...quant.get(x)!, y, ...quant.get(y)!, ...q(scale() * (op === 'QLinearMul' ? 6 : 1.5))], {}, { domain: 'com.microsoft' });
    g.output(g.rename(out!, `y${i}`), dtype, [16, 256]);
  });
  if (overflow) {
    // Results beyond int32 (onnx mode only: tflite rejects such scales).
    for (const op of ['QLinearAdd', 'QLinearMul'] as const) {
      const [out] = g.node(op, [a, ...quant.get(a)!, b, ...quant.get(b)!, g.scalar(1e-9), g.scalar(byte(), dtype as ElemType)], {}, { domain: 'com.microsoft' });
      g.output(g.rename(out!, `${op}_overflow`), dtype, [16, 256]);
    }
  }
  return g.save();
}

describe('QLinearAdd / QLinearMul C kernels vs reference (host, sanitizers)', () => {
  // tflite arithmetic does not depend on the type; onnx mode's does (uint8 computes with + 128).
  for (const [dtype, rounding] of [['int8', 'onnx'], ['uint8', 'onnx'], ['int8', 'tflite']] as const) {
    it(`every kernel path, ${dtype}, ${rounding}`, async () => {
      const overflow = rounding === 'onnx';
      const diff = await hostDiff(kernelPathsModel(dtype, dtype.length, overflow), rounding, 4, 3);
      expect(diff.bytes).toBe(4 * (overflow ? 10 : 8) * 16 * 256);
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    });
  }

  // Random broadcasting shapes, QOperator and QDQ, in one model (one build per mode).
  const rng = seededRandom(77);
  const specs = [0, 1, 2, 3, 4, 5].map((i) => randomBinarySpec(rng, i % 2 ? 'QLinearMul' : 'QLinearAdd', i < 3 ? 'qoperator' : 'qdq'));
  const path = buildBinaryModel(specs, rng);
  for (const rounding of ['onnx', 'tflite'] as const) {
    it(`random broadcasting models [${rounding}]: ${specs.map(describeSpec).join('; ')}`, async () => {
      const diff = await hostDiff(path, rounding, 4, 5);
      expect(diff.bytes).toBe(4 * specs.reduce((n, s) => n + outputShape(s.aShape, s.bShape).reduce((x, y) => x * y, 1), 0));
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    });
  }
});

/**
 * NCHW activations [1, 4, 5, 6] from MaxPools: a residual add of two activations, a per-channel
 * multiplier [4, 1, 1], a bias-like [1, 4, 1, 1], and an SE-style multiply by a [1, 4, 1, 1]
 * activation. All of it stays NHWC: the only transposes are at the graph's input and output.
 */
function residualModel(dtype: Dtype): string {
  const g = new GraphBuilder();
  const lo = dtype === 'int8' ? -128 : 0;
  const zp = (v: number) => g.scalar(lo + 128 + v, dtype as ElemType);
  const x = g.input('x', dtype, [1, 4, 5, 6]);
  const p1 = g.node('MaxPool', [x], { kernel_shape: [1, 1] })[0]!;
  const p2 = g.node('MaxPool', [x], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })[0]!;
  const sum = g.node('QLinearAdd', [p1, g.scalar(0.05), zp(3), p2, g.scalar(0.05), zp(3), g.scalar(0.07), zp(-5)], {}, { domain: 'com.microsoft' })[0]!;
  const channel = g.constant(dtype, [4, 1, 1], [lo + 10, lo + 200, lo + 128, lo + 77]);
  const scaled = g.node('QLinearMul', [sum, g.scalar(0.07), zp(-5), channel, g.scalar(0.02), zp(0), g.scalar(0.09), zp(2)], {}, { domain: 'com.microsoft' })[0]!;
  const bias = g.constant(dtype, [1, 4, 1, 1], [lo + 1, lo + 255, lo + 128, lo + 40]);
  const biased = g.node('QLinearAdd', [bias, g.scalar(0.03), zp(7), scaled, g.scalar(0.09), zp(2), g.scalar(0.1), zp(1)], {}, { domain: 'com.microsoft' })[0]!;
  const pooled = g.node('MaxPool', [biased], { kernel_shape: [5, 6] })[0]!;
  const se = g.node('QLinearMul', [biased, g.scalar(0.1), zp(1), pooled, g.scalar(0.1), zp(1), g.scalar(0.3), zp(-9)], {}, { domain: 'com.microsoft' })[0]!;
  g.output(g.rename(se, 'y'), dtype, [1, 4, 5, 6]);
  return g.save();
}

describe('QLinearAdd / QLinearMul in NHWC', () => {
  for (const dtype of ['int8', 'uint8'] as const) {
    it(`residual, per-channel and SE-style ${dtype}: no transposes around them, ONNX Runtime's bytes${dtype === 'int8' ? ', C equals the reference' : ''}`, async () => {
      const model = residualModel(dtype);
      const compiled = compileModel({ modelPath: model });
      const transposes = compiled.graph.nodes.filter((n) => n.op === 'Transpose');
      expect(transposes).toHaveLength(2); // the graph input's and the graph output's
      for (const node of compiled.graph.nodes.filter((n) => n.op.startsWith('QLinear'))) {
        for (const name of [...node.inputs, ...node.outputs]) {
          const shape = compiled.graph.tensors.get(name)!.shape;
          expect(shape.length === 4 ? shape[3] : 4, `${node.name} ${name} [${shape}]`).toBe(4); // channels last
        }
      }
      const ort = await oracleDiff(model, 'onnx', 6);
      expect(ort.elements).toBe(6 * 120);
      expect(ort.mismatches, JSON.stringify(ort.first)).toBe(0);
      if (dtype === 'int8') {
        // The C in NHWC (both modes run the same walk; the kernel tests cover the arithmetic).
        const host = await hostDiff(model, 'onnx', 6);
        expect(host.mismatches, JSON.stringify(host.first)).toBe(0);
      }
    });
  }
});

describe('QLinearAdd / QLinearMul: bad input is a UserError naming the node', () => {
  const qop = (aShape: number[], bShape: number[], bScale?: string) => {
    const g = new GraphBuilder();
    const a = g.input('a', 'int8', aShape);
    const b = g.input('b', 'int8', bShape);
    const [y] = g.node('QLinearAdd', [a, g.scalar(0.1), g.scalar(0, 'int8'), b, bScale ?? g.scalar(0.1), g.scalar(0, 'int8'), g.scalar(0.2), g.scalar(0, 'int8')], {}, { domain: 'com.microsoft' });
    g.output(g.rename(y!, 'y'), 'int8', []);
    return g.save();
  };
  it('shapes that do not broadcast', () => {
    expect(() => compileModel({ modelPath: qop([2, 3], [4]) })).toThrow(UserError);
    expect(() => compileModel({ modelPath: qop([2, 3], [4]) })).toThrow(/node 'QLinearAdd_\d+' \(QLinearAdd\): shapes \[2,3\] and \[4\] do not broadcast/);
  });
  it('rank above 6', () => {
    expect(() => compileModel({ modelPath: qop([1, 1, 1, 1, 1, 1, 2], [2]) })).toThrow(/rank 7 is above the supported 6/);
  });
  it('a per-axis scale', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'int8', [2, 3]);
    const b = g.input('b', 'int8', [2, 3]);
    const [y] = g.node('QLinearAdd', [a, g.scalar(0.1), g.scalar(0, 'int8'), b, g.constant('float32', [3], [0.1, 0.2, 0.3]), g.constant('int8', [3], [0, 0, 0]), g.scalar(0.2), g.scalar(0, 'int8')], {}, { domain: 'com.microsoft' });
    g.output(g.rename(y!, 'y'), 'int8', []);
    expect(() => compileModel({ modelPath: g.save() })).toThrow(/\(QLinearAdd\): B must be quantized per tensor/);
  });
  it('a QDQ Add whose operand is a float constant', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'int8', [2, 3]);
    const af = g.node('DequantizeLinear', [a, g.scalar(0.1), g.scalar(0, 'int8')])[0]!;
    const sum = g.node('Add', [af, g.constant('float32', [3], [0.5, 1, 2])])[0]!;
    const [y] = g.node('QuantizeLinear', [sum, g.scalar(0.2), g.scalar(0, 'int8')]);
    g.output(g.rename(y!, 'y'), 'int8', [2, 3]);
    expect(() => compileModel({ modelPath: g.save() })).toThrow(/\(Add\): input B 'c\d+' must come through a DequantizeLinear/);
  });
});
