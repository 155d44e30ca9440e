/** Random QLinearAdd / QLinearMul models (QOperator and QDQ forms) for the oracle and kernel tests. */
import { GraphBuilder } from '../helpers/onnx-builder.ts';

export type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

export type BinaryOp = 'QLinearAdd' | 'QLinearMul';
export type Form = 'qoperator' | 'qdq';
/** Which operands are constants: none, A, or B. */
export type Constness = 'none' | 'a' | 'b';

export interface BinaryModelSpec {
  op: BinaryOp;
  form: Form;
  dtype: 'int8' | 'uint8';
  aShape: number[];
  bShape: number[];
  constant: Constness;
  /** [A, B, C] scales and zero points (zero points in the model's type). */
  scales: [number, number, number];
  zeroPoints: [number, number, number];
}

/** Scales: half of them k / 2^n (exact ratios, so many results land on .5 ties), half arbitrary. */
function randomScale(rng: Rng): number {
  return rng() < 0.5 ? Math.fround(int(rng, 1, 12) / 2 ** int(rng, 4, 9)) : Math.fround(2 ** (-int(rng, 3, 8)) * (1 + rng()));
}

/** Output shape of rank 0..6 with at most ~600 elements, and two shapes that broadcast to it. */
function randomShapes(rng: Rng): [number[], number[]] {
  const kind = pick(rng, ['same', 'scalar', 'channel', 'general', 'general'] as const);
  const rank = int(rng, kind === 'channel' ? 3 : 0, 6);
  const out: number[] = [];
  for (let d = 0; d < rank; d++) out.push(int(rng, 1, rank > 4 ? 3 : 6));
  if (kind === 'same') return [out, [...out]];
  if (kind === 'scalar') return rng() < 0.5 ? [out, rng() < 0.5 ? [] : [1]] : [rng() < 0.5 ? [] : [1], out];
  if (kind === 'channel') {
    // [N, C, H, W]-like against [C, 1, 1]
    const c = out[out.length - 3]!;
    const small = [c, ...new Array<number>(2).fill(1)];
    return rng() < 0.5 ? [out, small] : [small, out];
  }
  // Each axis of `out` comes from A, from B or from both; the other side holds 1 there.
  const a = out.map((d) => (rng() < 0.3 ? 1 : d));
  const b = out.map((d, i) => (a[i] === 1 || rng() < 0.5 ? d : 1));
  // B may also drop leading axes that A holds in full.
  let drop = 0;
  while (drop < b.length && a[drop] === out[drop] && rng() < 0.5) drop++;
  const bShort = b.slice(drop);
  return rng() < 0.5 ? [a, bShort] : [bShort, a];
}

export function randomBinarySpec(rng: Rng, op: BinaryOp, form: Form): BinaryModelSpec {
  const dtype = pick(rng, ['int8', 'uint8'] as const);
  const [aShape, bShape] = randomShapes(rng);
  const lo = dtype === 'int8' ? -128 : 0;
  const zp = () => (rng() < 0.2 ? lo + 128 : lo + int(rng, 0, 255));
  const constant = pick(rng, ['none', 'none', 'a', 'b'] as const);
  return { op, form, dtype, aShape, bShape, constant, scales: [randomScale(rng), randomScale(rng), randomScale(rng) * (op === 'QLinearMul' ? 8 : 2)], zeroPoints: [zp(), zp(), zp()] };
}

export function outputShape(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => Math.max(a[a.length - rank + i] ?? 1, b[b.length - rank + i] ?? 1));
}

/** Builds a model: per spec, graph inputs (or constants) of the quantized type, one op, one quantized output. */
export function buildBinaryModel(spec: BinaryModelSpec | BinaryModelSpec[], rng: Rng): string {
  const g = new GraphBuilder();
  (Array.isArray(spec) ? spec : [spec]).forEach((s, k) => addBinaryNode(g, s, rng, Array.isArray(spec) ? String(k) : ''));
  return g.save();
}

function addBinaryNode(g: GraphBuilder, spec: BinaryModelSpec, rng: Rng, suffix: string): void {
  const { dtype } = spec;
  const values = (shape: number[]) => Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => (dtype === 'int8' ? -128 : 0) + int(rng, 0, 255));
  const operand = (name: string, shape: number[], constant: boolean) => (constant ? g.constant(dtype, shape, values(shape)) : g.input(name + suffix, dtype, shape));
  const a = operand('a', spec.aShape, spec.constant === 'a');
  const b = operand('b', spec.bShape, spec.constant === 'b');
  const [sa, sb, sc] = spec.scales;
  const [za, zb, zc] = spec.zeroPoints;
  let y: string;
  if (spec.form === 'qoperator') {
    [y] = g.node(spec.op, [a, g.scalar(sa), g.scalar(za, dtype), b, g.scalar(sb), g.scalar(zb, dtype), g.scalar(sc), g.scalar(zc, dtype)], {}, { domain: 'com.microsoft' }) as [string];
  } else {
    const af = g.node('DequantizeLinear', [a, g.scalar(sa), g.scalar(za, dtype)])[0]!;
    const bf = g.node('DequantizeLinear', [b, g.scalar(sb), g.scalar(zb, dtype)])[0]!;
    const cf = g.node(spec.op === 'QLinearAdd' ? 'Add' : 'Mul', [af, bf])[0]!;
    [y] = g.node('QuantizeLinear', [cf, g.scalar(sc), g.scalar(zc, dtype)]) as [string];
  }
  g.output(g.rename(y, `y${suffix}`), dtype, outputShape(spec.aShape, spec.bShape));
}

export function describeSpec(s: BinaryModelSpec): string {
  return `${s.op} ${s.form} ${s.dtype} [${s.aShape}]${s.constant === 'a' ? '(const)' : ''} x [${s.bShape}]${s.constant === 'b' ? '(const)' : ''} s=${s.scales.map((v) => v.toPrecision(4))} z=${s.zeroPoints}`;
}
