/**
 * QDQ Add and Mul in the graph positions where ONNX Runtime (1.30, x86-64) does not run its int8
 * QLinearAdd / QLinearMul: its int8 → uint8 rewrite of one-to-one Q → DQ pairs makes it run the
 * uint8 kernel when every side was rewritten, and DQ → float Add / Mul → Q when the sides end up
 * of different types (a residual Add whose skip DQ also feeds a conv, an int8 constant operand next
 * to a rewritten activation, an int8 graph output after rewritten inputs). onnx mode must give
 * ORT's bytes there too, and the C must equal the reference.
 *
 * Independent sources: ORT's outputs, and ORT's own optimized model (written by the session),
 * which shows the kernel it chose; tinygen's prediction of that choice is checked against it.
 * The operands run through every pair of quantized values (A along a row, B down the columns),
 * with scales that put many results on or next to rounding ties.
 */
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { seededRandom } from '../../src/util/random.ts';
import type { Value } from '../../src/ops/op.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { ortKernel, runOrt } from '../helpers/ort.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { oracleDiff } from '../helpers/oracle.ts';
import { NetworkBuilder } from '../helpers/networks.ts';

ort.env.logLevel = 'error';
const f32 = Math.fround;
type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** Where an operand comes from. */
type Source =
  | 'int8-input' // a graph input of the model's type: no Q before the DQ
  | 'quantized-input' // float input → Q → DQ: a one-to-one pair
  | 'shared-dq' // float input → Q → DQ, the DQ also read by a Flatten → extra output (a residual skip)
  | 'constant'; // an initializer of the model's type → DQ
/** Where the result goes. */
type Sink = 'dq-output' | 'int8-output' | 'shared-dq' | 'two-dqs';
type Path = 'float' | 'qlinear-int8' | 'qlinear-uint8';

const SOURCES: readonly Source[] = ['int8-input', 'quantized-input', 'shared-dq', 'constant'];
const SINKS: readonly Sink[] = ['dq-output', 'int8-output', 'shared-dq', 'two-dqs'];

interface Spec {
  op: 'Add' | 'Mul';
  dtype: 'int8' | 'uint8';
  a: Source;
  b: Source;
  sink: Sink;
  activation: 'none' | 'relu' | 'clip';
  /** B as [256, 1] (broadcast along the row) instead of [256, 256]. */
  broadcast: boolean;
  /** A, B, C: scale and zero point (in the model's type). */
  q: [{ scale: number; zp: number }, { scale: number; zp: number }, { scale: number; zp: number }];
  clip: [number, number];
  summary: string;
}

/** A scale that is a short binary fraction (exact ratios: ties) or a full float32 mantissa (near-ties). */
const scale = (rng: Rng) => (rng() < 0.35 ? int(rng, 1, 7) / 2 ** int(rng, 4, 7) : f32(2 ** -int(rng, 4, 7) * (1 + rng())));

function randomSpec(rng: Rng, fixed: Partial<Spec> = {}): Spec {
  const op = fixed.op ?? pick(rng, ['Add', 'Mul'] as const);
  const dtype = fixed.dtype ?? pick(rng, ['int8', 'int8', 'uint8'] as const);
  const lo = dtype === 'int8' ? -128 : 0;
  const zp = () => lo + 128 + int(rng, -30, 30);
  const a = { scale: scale(rng), zp: zp() };
  const b = rng() < 0.3 ? { ...a } : { scale: scale(rng), zp: zp() };
  const activation = fixed.activation ?? (rng() < 0.7 ? 'none' : pick(rng, ['relu', 'clip'] as const));
  const cScale = op === 'Add' ? f32(Math.max(a.scale, b.scale) * pick(rng, [1, 1.5, 2, 1.37])) : f32(a.scale * b.scale * pick(rng, [16, 32, 48, 41.3]));
  const c = { scale: cScale, zp: activation !== 'none' && rng() < 0.5 ? lo : zp() };
  const edge = (v: number) => f32((v - (c.zp - lo - 128)) * c.scale * (rng() < 0.5 ? 1.25 : 0.5));
  const spec: Spec = {
    op,
    dtype,
    a: fixed.a ?? pick(rng, SOURCES),
    b: fixed.b ?? pick(rng, SOURCES),
    sink: fixed.sink ?? pick(rng, SINKS),
    activation,
    broadcast: fixed.broadcast ?? rng() < 0.4,
    q: [a, b, c],
    clip: [edge(-128), edge(127)],
    summary: '',
    ...fixed,
  };
  if (spec.a === 'constant' && spec.b === 'constant') spec.b = 'int8-input';
  const act = spec.activation === 'none' ? '' : spec.activation === 'relu' ? ' relu' : ` clip[${spec.clip}]`;
  spec.summary = `${spec.op} ${spec.dtype} a:${spec.a} b:${spec.b}${spec.broadcast ? '[256,1]' : ''} → ${spec.sink}${act} q${JSON.stringify(spec.q)}`;
  return spec;
}

const SIDE = 256;
/** The byte at element i of operand A (row-major [256, 256]: its column) and of B (its row). */
const aByte = (lo: number, i: number) => lo + (i % SIDE);
const bByte = (lo: number, i: number) => lo + Math.floor(i / SIDE);

interface Built {
  path: string;
  /** The graph inputs in order, with the values that give every (A, B) pair. */
  inputs: { name: string; value: Value }[];
}

function build(spec: Spec): Built {
  const g = new GraphBuilder();
  const { dtype } = spec;
  const lo = dtype === 'int8' ? -128 : 0;
  const qParams = (q: { scale: number; zp: number }) => [g.scalar(q.scale), g.scalar(q.zp, dtype)];
  const dequantize = (t: string, q: { scale: number; zp: number }) => g.node('DequantizeLinear', [t, ...qParams(q)])[0]!;
  const inputs: Built['inputs'] = [];
  const extra: string[] = [];
  const operand = (source: Source, name: string, q: { scale: number; zp: number }, shape: number[], byte: (i: number) => number): string => {
    const count = shape[0]! * shape[1]!;
    const bytes = Array.from({ length: count }, (_, i) => byte(i));
    if (source === 'constant') return dequantize(g.constant(dtype, shape, bytes), q);
    if (source === 'int8-input') {
      const data = dtype === 'int8' ? Int8Array.from(bytes) : Uint8Array.from(bytes);
      inputs.push({ name, value: { dtype, shape, data } });
      return dequantize(g.input(name, dtype, shape), q);
    }
    // A float whose QuantizeLinear is the wanted byte: (byte - zp) * scale, within rounding.
    inputs.push({ name, value: { dtype: 'float32', shape, data: Float32Array.from(bytes, (v) => (v - q.zp) * q.scale) } });
    const quantized = g.node('QuantizeLinear', [g.input(name, 'float32', shape), ...qParams(q)])[0]!;
    const dq = dequantize(quantized, q);
    if (source === 'shared-dq') extra.push(g.node('Flatten', [dq], { axis: 1 })[0]!);
    return dq;
  };
  const a = operand(spec.a, 'a', spec.q[0], [SIDE, SIDE], (i) => aByte(lo, i));
  const b = spec.broadcast ? operand(spec.b, 'b', spec.q[1], [SIDE, 1], (i) => lo + i) : operand(spec.b, 'b', spec.q[1], [SIDE, SIDE], (i) => bByte(lo, i));
  let y = g.node(spec.op, [a, b])[0]!;
  if (spec.activation === 'relu') y = g.node('Relu', [y])[0]!;
  if (spec.activation === 'clip') y = g.node('Clip', [y, g.scalar(spec.clip[0]), g.scalar(spec.clip[1])])[0]!;
  const yq = g.node('QuantizeLinear', [y, ...qParams(spec.q[2])])[0]!;
  const outputs: { name: string; type: 'float32' | 'int8' | 'uint8' }[] = [];
  if (spec.sink === 'int8-output') outputs.push({ name: yq, type: dtype });
  else {
    const ydq = dequantize(yq, spec.q[2]);
    outputs.push({ name: ydq, type: 'float32' });
    if (spec.sink === 'shared-dq') outputs.push({ name: g.node('Flatten', [ydq], { axis: 1 })[0]!, type: 'float32' });
    if (spec.sink === 'two-dqs') outputs.push({ name: dequantize(yq, spec.q[2]), type: 'float32' });
  }
  for (const e of extra) outputs.push({ name: e, type: 'float32' });
  outputs.forEach((o, j) => g.output(g.rename(o.name, `y${j}`), o.type, []));
  return { path: g.save(), inputs };
}

/** ORT's choice, read from the model it writes after optimization (C's zero point is QLinear<op>'s input 7). */
const ortPath = (path: string, op: Spec['op']): Promise<Path> => ortKernel(path, op, 7);

/** tinygen's reading of ORT's choice, from the compiled node (every layer apart: no residual block run row by row). */
function predictedPath(path: string, op: Spec['op']): Path {
  const node = compileModel({ modelPath: path, optimize: 'time' }).graph.nodes.find((n) => n.op === `QLinear${op}`);
  expect(node, `no QLinear${op} in ${path}`).toBeDefined();
  if (node!.attrs.ort_float === 1) return 'float';
  return node!.attrs.ort_offset === 128 ? 'qlinear-uint8' : 'qlinear-int8';
}

const totals = { models: 0, elements: 0 };
const seen = new Set<Path>();
afterAll(() => console.log(`QDQ Add/Mul in ORT's int8, uint8 and float paths: ${totals.models} models, ${totals.elements} values identical to ONNX Runtime; paths seen: ${[...seen].sort().join(', ')}`));

/** The reference on every (A, B) pair equals ORT's outputs, byte for byte (float outputs: bit for bit). */
async function expectOrtBytes(built: Built, summary: string): Promise<void> {
  const compiled = compileModel({ modelPath: built.path, rounding: 'onnx' });
  expect(compiled.graph.inputs).toEqual(built.inputs.map((i) => i.name));
  const values = built.inputs.map((i) => i.value);
  const ours = runReference(compiled.graph, values).outputs;
  const theirs = await runOrt(built.path, compiled.graph.inputs, values);
  expect(ours).toHaveLength(theirs.length);
  ours.forEach((out, o) => {
    const a = Array.from(out.data as ArrayLike<number>);
    const b = Array.from(theirs[o]!.data as ArrayLike<number>);
    expect(a.length, summary).toBe(b.length);
    const bad = a.findIndex((v, i) => v !== b[i]);
    expect(bad, `${summary}: output ${o} element ${bad}: tinygen ${a[bad]}, ORT ${b[bad]}`).toBe(-1);
    totals.elements += a.length;
  });
  totals.models++;
}

describe("QDQ Add / Mul: ORT's fusion decision, predicted and matched", () => {
  for (const op of ['Add', 'Mul'] as const)
    for (const dtype of ['int8', 'uint8'] as const) {
      it(`${op} ${dtype}: every operand source × every sink (int8 constants stay int8 in ORT 1.30)`, async () => {
        const rng = seededRandom(op.length * 131 + dtype.length);
        const paths = new Set<Path>();
        for (const a of SOURCES)
          for (const b of SOURCES) {
            if (a === 'constant' && b === 'constant') continue;
            for (const sink of SINKS) {
              const spec = randomSpec(rng, { op, dtype, a, b, sink, activation: 'none' });
              const built = build(spec);
              const actual = await ortPath(built.path, op);
              expect(predictedPath(built.path, op), spec.summary).toBe(actual);
              paths.add(actual);
              seen.add(actual);
              // The full pair sweep on a sample (each model is 65,536 pairs).
              if ((a.length + b.length + sink.length) % 3 === 0) await expectOrtBytes(built, spec.summary);
            }
          }
        // An int8 model reaches all three of ORT's kernels; a uint8 model is never rewritten.
        expect([...paths].sort()).toEqual(dtype === 'int8' ? ['float', 'qlinear-int8', 'qlinear-uint8'] : ['qlinear-uint8']);
      });
    }

  it('Relu and Clip between the op and the Q: fused only when the Q implies them, else in float', async () => {
    const rng = seededRandom(5);
    for (let i = 0; i < 16; i++) {
      const spec = randomSpec(rng, { activation: i % 2 ? 'relu' : 'clip' });
      const built = build(spec);
      const actual = await ortPath(built.path, spec.op);
      expect(predictedPath(built.path, spec.op), spec.summary).toBe(actual);
      seen.add(actual);
      await expectOrtBytes(built, spec.summary);
    }
  });

  it('random positions, broadcasts, scales and zero points: every pair gives ORT\'s bytes', async () => {
    const rng = seededRandom(2024);
    for (let i = 0; i < 24; i++) {
      const spec = randomSpec(rng);
      const built = build(spec);
      expect(predictedPath(built.path, spec.op), spec.summary).toBe(await ortPath(built.path, spec.op));
      await expectOrtBytes(built, spec.summary);
    }
  });
});

describe('QDQ residual blocks (the ResNet case): the Add whose skip DQ also feeds a conv runs in float', () => {
  it('resnet-like blocks (stem → conv → conv + stem → AveragePool), int8, 10 seeds × 10 inputs: identical to ONNX Runtime', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const b = new NetworkBuilder('qdq', seed);
      const stem = b.conv(b.input([1, 3, 16, 16]), 8, 3);
      const inner = b.conv(b.conv(stem, 8, 3), 8, 3, { relu: false });
      const sum = b.add(stem, inner, seed % 2 === 0);
      const path = b.finish(b.averagePool(sum, 4), `resnet_${seed}.onnx`);
      expect(predictedPath(path, 'Add')).toBe(await ortPath(path, 'Add'));
      expect(predictedPath(path, 'Add')).toBe('float');
      const d = await oracleDiff(path, 'onnx', 10, seed);
      expect(d.mismatches, `seed ${seed}: ${JSON.stringify(d.first)}`).toBe(0);
      totals.models++;
      totals.elements += d.elements;
    }
  });
});

describe("QDQ Add / Mul in ORT's paths: C kernels vs reference (host, sanitizers)", () => {
  const specs: { kind: string; spec: Spec }[] = [];
  const rng = seededRandom(99);
  for (const path of ['float', 'float', 'uint8', 'int8'] as const)
    for (const op of ['Add', 'Mul'] as const) {
      const fixed: Partial<Spec> =
        path === 'float'
          ? { a: 'quantized-input', b: 'shared-dq', sink: 'dq-output' }
          : path === 'uint8'
            ? { a: 'quantized-input', b: 'quantized-input', sink: 'dq-output' }
            : { a: 'int8-input', b: 'constant', sink: 'int8-output' };
      specs.push({ kind: path, spec: randomSpec(rng, { op, dtype: 'int8', activation: specs.length % 3 === 0 ? 'relu' : 'none', ...fixed }) });
    }
  specs.forEach(({ kind, spec }, i) =>
    it(`${spec.op}${spec.activation === 'relu' ? ' + Relu' : ''}, ORT's ${kind} path${spec.broadcast ? ', B broadcast' : ''}: every pair`, async () => {
      const built = build(spec);
      const expected = predictedPath(built.path, spec.op);
      expect(expected, spec.summary).toBe(await ortPath(built.path, spec.op));
      const diff = await hostDiff(built.path, 'onnx', 1, i + 1, {
        edit: (values) => built.inputs.forEach((input, k) => (values[k] = input.value)),
      });
      expect(diff.bytes).toBeGreaterThanOrEqual(SIDE * SIDE);
      expect(diff.mismatches, `${spec.summary}: ${JSON.stringify(diff.first)}`).toBe(0);
    }),
  );
});
