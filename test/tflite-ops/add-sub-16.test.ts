/**
 * TFLite ADD on int16 (16x8 models: QLinearAdd in tflite mode) and SUB on int8 and int16
 * (TFLiteSub), against hand derivations of TFLM's integer steps, through .tflite files, the
 * importer, the reference interpreter and the host C (ASan/UBSan); then the C kernels against
 * the reference on random inputs, broadcast and not.
 *
 * Notation: SRDHM(a, M) = trunc((a·M + nudge) / 2^31), nudge 2^30 for a·M >= 0 and 1 − 2^30
 * below (ties toward +inf); RDBPOT(v, e) = v / 2^e rounded half away from zero. A real r becomes
 * QM(r) = (M, s), M = round(f · 2^31), r = f · 2^s, f in [0.5, 1).
 *
 * TFLM's ADD and SUB prepare (add_common.cc, sub_common.cc): t = 2 max(s_x, s_y),
 * (Mx, sx) = QM(s_x / t), (My, sy) = QM(s_y / t), (Mo, so) = QM(t / (2^L s_out)), L = 20 for
 * int8 and 15 for int16; ADD divides in double, SUB in float32 (each quotient rounded to float32).
 * Per element: ax = RDBPOT(SRDHM((x − z_x) << L, Mx), −sx), ay likewise, r = ax ± ay,
 * out = clamp(RDBPOT(SRDHM(r, Mo), −so) + z_out, act_min, act_max).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DType, Graph, Tensor } from '../../src/ir/graph.ts';
import type { Value } from '../../src/ops/op.ts';
import { compileModel } from '../../src/pipeline.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { randomInputs, valuesToRecord } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { UserError } from '../../src/errors.ts';
import { tflmAddSubConstants } from '../../src/ops/qlinear-add/definition.ts';
import { BuiltinOperator, TensorType, ActivationFunctionType as Activation } from '../../src/frontend/tflite/schema.ts';
import { buildTflite, options, type ModelSpec } from '../helpers/tflite-builder.ts';
import { itGivesHandDerivedBytes } from '../helpers/tflite-hand-cases.ts';
import { compileGraph, hostMismatches } from './graphs.ts';

const { INT8, INT16 } = TensorType;
const { ADD, SUB } = BuiltinOperator;

interface Operand {
  shape: number[];
  scale: number;
  zeroPoint?: number;
}

/** x (tensor 0) op y (tensor 1) → tensor 2, all of one type; both inputs are graph inputs. */
function binary(code: number, type: number, x: Operand, y: Operand, out: Operand, activation: number = Activation.NONE): ModelSpec {
  const tensor = (name: string, o: Operand) => ({ name, type, shape: o.shape, scale: [o.scale], zeroPoint: [o.zeroPoint ?? 0] });
  return {
    tensors: [tensor('x', x), tensor('y', y), tensor('out', out)],
    operators: [{ code, inputs: [0, 1], outputs: [2], options: options(code === ADD ? 'AddOptions' : 'SubOptions', { fusedActivationFunction: activation }), version: 2 }],
    inputs: [0, 1],
    outputs: [2],
  };
}

interface HandCase {
  name: string;
  spec: ModelSpec;
  dtype: 'int8' | 'int16';
  x: number[];
  y: number[];
  expected: number[];
}

const typed = (dtype: 'int8' | 'int16', values: number[]) => (dtype === 'int16' ? Int16Array.from(values) : Int8Array.from(values));

const dir = mkdtempSync(join(tmpdir(), 'tinygen-add-sub-16-'));

function describeHandCases(cases: readonly HandCase[]): void {
  describe.each(cases)('$name', ({ name, spec, dtype, x, y, expected }) => {
    const path = join(dir, `${name.replace(/\W+/g, '_')}.tflite`);
    writeFileSync(path, buildTflite(spec));
    const compiled = compileModel({ modelPath: path });
    const [xs, ys] = spec.inputs.map((i) => spec.tensors[i]!.shape);
    const record = valuesToRecord([
      { dtype, shape: xs!, data: typed(dtype, x) },
      { dtype, shape: ys!, data: typed(dtype, y) },
    ]);
    const want = typed(dtype, expected);
    itGivesHandDerivedBytes(compiled, [record], Buffer.from(want.buffer, want.byteOffset, want.byteLength));
  });
}

const row = (n: number) => [1, 1, 1, n];

describe('TFLite ADD on int16 (left shift 15, multipliers in double)', () => {
  describeHandCases([
    {
      // s_x = 0.5, s_y = 0.25, s_out = 1: t = 1; s_x / t = 0.5 → (2^30, 0); s_y / t = 0.25 → (2^30, −1);
      // t / (2^15 · 1) = 2^−15 → (2^30, −14). SRDHM(v << 15, 2^30) = v << 14 exactly.
      // x = 1, y = 0: ax = 16384, ay = 0, SRDHM(16384, 2^30) = 8192, RDBPOT(8192, 14) = 0.5 → 1.
      // x = −1, y = 0: ax = −16384; SRDHM = trunc((−2^44 + 1 − 2^30) / 2^31) = −8192; RDBPOT → −0.5 → −1.
      // x = y = 32767: ax = 32767 · 2^14 = 536854528, ay = RDBPOT(536854528, 1) = 268427264,
      //   r = 805281792, SRDHM = 402640896, RDBPOT(·, 14) = 24575.25 → 24575 (beyond int8).
      // x = y = −32768: ax = −2^29, ay = −2^28, r = −3 · 2^28, SRDHM = −3 · 2^27, RDBPOT → −24576.
      //   (With int8's left shift 20, −32768 << 20 would wrap.)
      // x = 3, y = 5: ax = 49152, ay = 40960, r = 90112, SRDHM 45056, / 2^14 = 2.75 → 3.
      name: 'ADD int16, power-of-two scales',
      spec: binary(ADD, INT16, { shape: row(5), scale: 0.5 }, { shape: row(5), scale: 0.25 }, { shape: row(5), scale: 1 }),
      dtype: 'int16',
      x: [1, -1, 32767, -32768, 3],
      y: [0, 0, 32767, -32768, 5],
      expected: [1, -1, 24575, -24576, 3],
    },
    {
      // s_x = 0.0003f, s_y = 0.0007f, s_out = 0.001f, in double: t = 0.0014 (double of the float);
      // s_x / t = 0.21428573210438662 → (1840700423, −2); s_y / t = 0.5 → (2^30, 0);
      // t / (32768 s_out) = 4.272460582228649e−5 → (1503238429, −14).
      // x = −32768, y = 2647: SRDHM(−2^30, 1840700423) = trunc(−920350211.5 + ...) = −920350211,
      //   RDBPOT(·, 2) = −230087552.75 → −230087553; ay = SRDHM(2647 · 2^15, 2^30) = 43368448;
      //   r = −186719105; SRDHM(r, 1503238429) = −130703363; RDBPOT(·, 14) = −7977.50018 → −7978.
      //   (SUB's float32 multipliers give −7977 for the same real value: see below.)
      // x = 1000, y = −1000: SRDHM(1000 · 2^15, 1840700423) = 28086859, RDBPOT(·, 2) = 7021714.75 →
      //   7021715; ay = −16384000; r = −9362285; SRDHM(r, Mo) = −6553599; / 2^14 = −399.99994 → −400.
      // x = 12345, y = 321: ax = RDBPOT(346732280, 2) = 86683070, ay = 5259264, r = 91942334,
      //   SRDHM = 64359628, / 2^14 = 3928.2 → 3928.
      name: 'ADD int16, scales 0.0003, 0.0007, 0.001',
      spec: binary(ADD, INT16, { shape: row(3), scale: 0.0003 }, { shape: row(3), scale: 0.0007 }, { shape: row(3), scale: 0.001 }),
      dtype: 'int16',
      x: [-32768, 1000, 12345],
      y: [2647, -1000, 321],
      expected: [-7978, -400, 3928],
    },
    {
      // TFLM applies int16 zero points in ADD (no check that they are 0). The scales of the first
      // case, z_x = 100, z_y = −200, z_out = 7: x − z_x = 1, y − z_y = 0 → 0.5 → 1, + 7 = 8;
      // x − z_x = −3, y − z_y = 2 → −1.5 + 0.5 = −1 → 6; x − z_x = 32667, y − z_y = 32767:
      // 16333.5 + 8191.75 = 24525.25 → 24525 → 24532.
      name: 'ADD int16, zero points',
      spec: binary(ADD, INT16, { shape: row(3), scale: 0.5, zeroPoint: 100 }, { shape: row(3), scale: 0.25, zeroPoint: -200 }, { shape: row(3), scale: 1, zeroPoint: 7 }),
      dtype: 'int16',
      x: [101, 97, 32767],
      y: [-200, -198, 32567],
      expected: [8, 6, 24532],
    },
    {
      // Fused RELU on an int16 output: TFLM's CalculateActivationRangeQuantized gives
      // [max(−32768, z_out), 32767] = [10000, 32767]. The first case's scales, z_out = 10000:
      // x = −1000 → −500 + 10000 = 9500 → 10000; x = 1000 → 10500; x = y = 32767 → 24575 + 10000
      // = 34575 → 32767; x = y = −32768 → −24576 + 10000 → 10000; x = 0 → 10000.
      name: 'ADD int16, fused RELU',
      spec: binary(ADD, INT16, { shape: row(5), scale: 0.5 }, { shape: row(5), scale: 0.25 }, { shape: row(5), scale: 1, zeroPoint: 10000 }, Activation.RELU),
      dtype: 'int16',
      x: [-1000, 1000, 32767, -32768, 0],
      y: [0, 0, 32767, -32768, 0],
      expected: [10000, 10500, 32767, 10000, 10000],
    },
    {
      // Broadcasting: y [2] along the channels of x [1, 1, 2, 2]. All scales 1: t = 2, both inputs
      // (2^30, 0), t / 2^15 = 2^−14 → (2^30, −13): ax = x << 14, ay = y << 14, r = (x + y) << 14,
      // SRDHM(r, 2^30) = (x + y) << 13, RDBPOT(·, 13) = x + y, saturated to int16.
      // [100 + 50, 200 − 1, −32768 + 50, 32767 − 1].
      name: 'ADD int16, broadcast [1, 1, 2, 2] + [2]',
      spec: binary(ADD, INT16, { shape: [1, 1, 2, 2], scale: 1 }, { shape: [2], scale: 1 }, { shape: [1, 1, 2, 2], scale: 1 }),
      dtype: 'int16',
      x: [100, 200, -32768, 32767],
      y: [50, -1],
      expected: [150, 199, -32718, 32766],
    },
  ]);
});

describe('TFLite SUB (float32 ratios; left shift 20 for int8, 15 for int16)', () => {
  describeHandCases([
    {
      // int8, s_x = 0.5, z_x = 1, s_y = 0.25, z_y = −1, s_out = 0.5, z_out = 3: t = 1.0f;
      // s_x / t = 0.5 → (2^30, 0); s_y / t = 0.25 → (2^30, −1); t / (2^20 · 0.5) = 2^−19 → (2^30, −18).
      // With u = x − z_x, v = y − z_y: ax = SRDHM(u << 20, 2^30) = u << 19, ay = RDBPOT(v << 19, 1)
      // = v << 18, r = (u << 19) − (v << 18), SRDHM = r / 2, RDBPOT(·, 18) = u − v / 2, ties away.
      // x = 5, y = −3: 4 + 1 = 5 → 8. x = 1, y = 0: 0 − 0.5 → −1 → 2. x = 2, y = −2: 1 + 0.5 → 2 → 5.
      // x = 127, y = −128: 126 + 63.5 → 190 → 193 → 127. x = −128, y = 127: −129 − 64 → −193 → −190 → −128.
      name: 'SUB int8, zero points, ties and saturation',
      spec: binary(SUB, INT8, { shape: row(5), scale: 0.5, zeroPoint: 1 }, { shape: row(5), scale: 0.25, zeroPoint: -1 }, { shape: row(5), scale: 0.5, zeroPoint: 3 }),
      dtype: 'int8',
      x: [5, 1, 2, 127, -128],
      y: [-3, 0, -2, -128, 127],
      expected: [8, 2, 5, 127, -128],
    },
    {
      // int8, s_x = 0.0003f, s_y = 0.0007f, s_out = 0.001f in float32: t = 0.0014f;
      // fround(s_x / t) = 0.2142857313156128 → (1840700416, −2); s_y / t = 0.5 → (2^30, 0);
      // fround(t / fround(2^20 · s_out)) → (1503238400, −19).
      // x = 100, y = −50: SRDHM(100 << 20, 1840700416) = 89877950, RDBPOT(·, 2) = 22469487.5 → 22469488;
      // ay = SRDHM(−50 << 20, 2^30) = −26214400; r = 48683888; SRDHM(r, 1503238400) = 34078718;
      // RDBPOT(·, 19) = 64.99999 → 65 (real 0.03 + 0.035 = 0.065 → 65).
      name: 'SUB int8, scales 0.0003, 0.0007, 0.001',
      spec: binary(SUB, INT8, { shape: row(1), scale: 0.0003 }, { shape: row(1), scale: 0.0007 }, { shape: row(1), scale: 0.001 }),
      dtype: 'int8',
      x: [100],
      y: [-50],
      expected: [65],
    },
    {
      // int16, the same scales: (1840700416, −2), (2^30, 0), (1503238400, −14) (in double, ADD's,
      // they would be 1840700423 and 1503238429: the float32 quotients carry 24 bits).
      // x = −32768, y = −2647: SRDHM(−2^30, 1840700416) = −920350208 (exact), RDBPOT(·, 2) =
      // −230087552; ay = −2647 · 2^14 = −43368448; r = −186719104; SRDHM(r, 1503238400) =
      // −130703359; RDBPOT(·, 14) = −7977.49994 → −7977. ADD-style double multipliers give
      // r = −186719105, −130703363, −7977.50018 → −7978 (the ADD case above, x + 2647).
      name: 'SUB int16, where float32 multipliers differ from double ones',
      spec: binary(SUB, INT16, { shape: row(1), scale: 0.0003 }, { shape: row(1), scale: 0.0007 }, { shape: row(1), scale: 0.001 }),
      dtype: 'int16',
      x: [-32768],
      y: [-2647],
      expected: [-7977],
    },
    {
      // int16 broadcast as in TFLM's SEANet SUB: y [2] along the channels of x [1, 1, 2, 2]. All
      // scales 1: t = 2.0f, both inputs (2^30, 0), fround(2 / 32768) = 2^−14 → (2^30, −13); as in
      // the ADD case, out = x − y[c] exactly, saturated: [100 − 50, 200 + 1, −32768 − 50 → −32768
      // (r = −32818 << 14 still fits int32), 32767 + 1 → 32767].
      name: 'SUB int16, broadcast [1, 1, 2, 2] − [2]',
      spec: binary(SUB, INT16, { shape: [1, 1, 2, 2], scale: 1 }, { shape: [2], scale: 1 }, { shape: [1, 1, 2, 2], scale: 1 }),
      dtype: 'int16',
      x: [100, 200, -32768, 32767],
      y: [50, -1],
      expected: [50, 201, -32768, 32767],
    },
    {
      // int16 with a fused RELU: [max(−32768, z_out), 32767] = [−5, 32767]. All scales 1 (out = x − y
      // + z_out): 3 − 10 − 5 = −12 → −5; 10 − 3 − 5 = 2; 0 − 0 − 5 = −5.
      name: 'SUB int16, fused RELU',
      spec: binary(SUB, INT16, { shape: row(3), scale: 1 }, { shape: row(3), scale: 1 }, { shape: row(3), scale: 1, zeroPoint: -5 }, Activation.RELU),
      dtype: 'int16',
      x: [3, 10, 0],
      y: [10, 3, 0],
      expected: [-5, 2, -5],
    },
  ]);
});

describe("TFLM's ADD and SUB multipliers", () => {
  const node = { name: 'n', op: 'TFLiteSub', inputs: [], outputs: [], attrs: {} };
  const q = (scale: number) => ({ scale: Math.fround(scale), zeroPoint: 0 });
  it('SUB divides in float32, ADD in double (s 0.0003, 0.0007, 0.001; int16)', () => {
    const sub = tflmAddSubConstants(node, q(0.0003), q(0.0007), q(0.001), 'int16', 'float32');
    const add = tflmAddSubConstants(node, q(0.0003), q(0.0007), q(0.001), 'int16', 'double');
    expect([sub.xMultiplier, sub.yMultiplier, sub.outMultiplier]).toEqual([
      { multiplier: 1840700416, shift: -2 },
      { multiplier: 1073741824, shift: 0 },
      { multiplier: 1503238400, shift: -14 },
    ]);
    expect([add.xMultiplier, add.yMultiplier, add.outMultiplier]).toEqual([
      { multiplier: 1840700423, shift: -2 },
      { multiplier: 1073741824, shift: 0 },
      { multiplier: 1503238429, shift: -14 },
    ]);
    expect([sub.leftShift, tflmAddSubConstants(node, q(0.0003), q(0.0007), q(0.001), 'int8', 'float32').leftShift]).toEqual([15, 20]);
  });

  it('refuses an output scale that makes the output ratio 1 or more (TFLM aborts in prepare)', () => {
    // t / (2^15 s_out) = 2 / (32768 · 2^−15) = 2.
    expect(() => tflmAddSubConstants(node, q(1), q(1), q(2 ** -15), 'int16', 'float32')).toThrow(UserError);
  });
});

describe('int16 ADD in onnx rounding mode', () => {
  it('is refused in one line', () => {
    const path = join(dir, 'add16_onnx.tflite');
    writeFileSync(path, buildTflite(binary(ADD, INT16, { shape: row(2), scale: 0.5 }, { shape: row(2), scale: 0.25 }, { shape: row(2), scale: 1 })));
    expect(() => compileModel({ modelPath: path, rounding: 'onnx' })).toThrow(/^[^\n]*int16 add is TFLite's 16x8 ADD and needs --rounding tflite$/);
  });

  it('is refused for mixed int8 and int16 operands', () => {
    const spec = binary(SUB, INT16, { shape: row(2), scale: 0.5 }, { shape: row(2), scale: 0.25 }, { shape: row(2), scale: 1 });
    spec.tensors[1]!.type = INT8;
    const path = join(dir, 'sub_mixed.tflite');
    writeFileSync(path, buildTflite(spec));
    expect(() => compileModel({ modelPath: path })).toThrow(/one type/);
  });
});

/** One binary node per case in one IR graph: inputs a<i> and b<i> (a constant when `data` is given), output y<i>. */
interface BinaryCase {
  op: 'QLinearAdd' | 'TFLiteSub';
  dtype: DType;
  a: Operand & { data?: Int8Array | Int16Array };
  b: Operand & { data?: Int8Array | Int16Array };
  out: Operand;
  clamp?: [number, number];
}

function binaryGraph(cases: readonly BinaryCase[], outShape: (c: BinaryCase) => number[]): Graph {
  const graph: Graph = { name: 'add_sub', tensors: new Map(), nodes: [], inputs: [], outputs: [] };
  const tensor = (name: string, dtype: DType, o: Operand, data?: Int8Array | Int16Array): Tensor => ({
    name,
    dtype,
    shape: [...o.shape],
    quant: { scale: [Math.fround(o.scale)], zeroPoint: [o.zeroPoint ?? 0] },
    ...(data ? { data } : {}),
  });
  cases.forEach((c, i) => {
    for (const [name, o] of [[`a${i}`, c.a], [`b${i}`, c.b]] as const) {
      graph.tensors.set(name, tensor(name, c.dtype, o, o.data));
      if (!o.data) graph.inputs.push(name);
    }
    graph.tensors.set(`y${i}`, tensor(`y${i}`, c.dtype, { ...c.out, shape: outShape(c) }));
    graph.nodes.push({ name: `op${i}`, op: c.op, inputs: [`a${i}`, `b${i}`], outputs: [`y${i}`], attrs: c.clamp ? { clamp: c.clamp } : {} });
    graph.outputs.push(`y${i}`);
  });
  return graph;
}

describe('ADD (int16) and SUB (int8, int16) in C equal the reference (host, ASan/UBSan)', () => {
  const random = seededRandom(41);
  const constant = (dtype: DType, n: number) =>
    dtype === 'int16' ? Int16Array.from({ length: n }, () => Math.floor(random() * 65536) - 32768) : Int8Array.from({ length: n }, () => Math.floor(random() * 256) - 128);
  const cases: BinaryCase[] = [];
  for (const op of ['QLinearAdd', 'TFLiteSub'] as const) {
    for (const dtype of ['int8', 'int16'] as const) {
      if (op === 'QLinearAdd' && dtype === 'int8') continue; // the int8 add has its own tests
      const z = (v: number) => (dtype === 'int16' ? v * 97 : v);
      cases.push(
        // Same shapes, zero points, scales not powers of two.
        { op, dtype, a: { shape: [2, 5, 7, 16], scale: 0.011, zeroPoint: z(3) }, b: { shape: [2, 5, 7, 16], scale: 0.0037, zeroPoint: z(-7) }, out: { shape: [], scale: 0.009, zeroPoint: z(11) } },
        // TFLM SEANet's case: a per-channel graph input, with a fused activation's clamp.
        { op, dtype, a: { shape: [1, 4, 6, 8], scale: 0.0013, zeroPoint: 0 }, b: { shape: [8], scale: 0.0000092 }, out: { shape: [], scale: 0.00094 }, clamp: dtype === 'int16' ? [-5000, 20000] : [-20, 100] },
        // Both operands broadcast, the second larger in scale.
        { op, dtype, a: { shape: [3, 1, 5], scale: 0.002, zeroPoint: z(-1) }, b: { shape: [1, 4, 1], scale: 0.0071, zeroPoint: z(2) }, out: { shape: [], scale: 0.0102, zeroPoint: z(-4) } },
        // A constant operand on either side.
        { op, dtype, a: { shape: [8], scale: 0.05, data: constant(dtype, 8) }, b: { shape: [1, 3, 3, 8], scale: 0.031, zeroPoint: z(5) }, out: { shape: [], scale: 0.06 } },
        { op, dtype, a: { shape: [2, 3, 8], scale: 0.02 }, b: { shape: [3, 1], scale: 0.013, data: constant(dtype, 3) }, out: { shape: [], scale: 0.017, zeroPoint: z(-9) } },
      );
    }
  }
  const outShape = (c: BinaryCase) => {
    const rank = Math.max(c.a.shape.length, c.b.shape.length);
    const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
    const [a, b] = [pad(c.a.shape), pad(c.b.shape)];
    return a.map((d, i) => Math.max(d, b[i]!));
  };

  it(`${cases.length} layers: every output byte equal`, async () => {
    const compiled = compileGraph(binaryGraph(cases, outShape));
    expect(compiled.graph.nodes.map((n) => n.op).sort()).toEqual(cases.map((c) => c.op).sort());
    const values: Value[][] = Array.from({ length: 6 }, () => randomInputs(compiled.graph, random));
    const host = await buildHostModel(compiled);
    try {
      expect(await hostMismatches(compiled, host, values)).toBe(0);
    } finally {
      host.dispose();
    }
  }, 120_000);
});
