/**
 * Float Add/Sub/Mul/Div, the float activations and Softmax: the host-built C (ASan/UBSan) against
 * the reference interpreter, byte for byte, on random shapes, broadcasts, attributes and data; and
 * bad input as one-line UserErrors. Each model holds many nodes (one build each) to keep the time.
 */
import { hostDiff } from '../helpers/host-diff.ts';
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { GraphBuilder, type ElemType } from '../helpers/onnx-builder.ts';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { UserError } from '../../src/errors.ts';
import type { Value } from '../../src/ops/op.ts';

/** Rewrites a saved model's ai.onnx opset (the builder writes 13). */
function withOpset(path: string, version: number): string {
  const { onnx } = onnxProto;
  const model = onnx.ModelProto.decode(new Uint8Array(readFileSync(path)));
  model.opsetImport = [{ domain: '', version }];
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
  return path;
}

/** Runs `records` random input sets through the reference and the host C; returns the byte mismatches. */
function hostDiffFloat(modelPath: string, records = 4, seed = 1, edit?: (values: Value[], random: () => number) => void) {
  return hostDiff(modelPath, 'onnx', records, seed, { allowFloat: true, edit });
}

/** A random shape of rank 1..4 and a shape that broadcasts against it (leading axes dropped, some set to 1). */
function randomBroadcast(random: () => number): [number[], number[]] {
  const rank = 1 + Math.floor(random() * 4);
  const a = Array.from({ length: rank }, () => 1 + Math.floor(random() * 5));
  const drop = Math.floor(random() * rank);
  const b = a.slice(drop).map((d) => (random() < 0.35 ? 1 : d));
  return random() < 0.5 ? [a, b] : [b, a];
}

const broadcastShape = (a: number[], b: number[]) => {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => Math.max(a[a.length - rank + i] ?? 1, b[b.length - rank + i] ?? 1));
};

/** Every binary op on (a, b) and, with constant operands, (a, c) and (c, a), as graph outputs. */
function binaryModel(type: ElemType, a: number[], b: number[], random: () => number): string {
  const g = new GraphBuilder();
  const x = g.input('x', type, a);
  const y = g.input('y', type, b);
  const count = b.reduce((p, q) => p * q, 1);
  const constant = g.constant(
    type,
    b,
    Array.from({ length: count }, () => (type === 'float32' ? Math.fround(random() * 8 - 4) : type === 'int32' ? Math.floor(random() * 2 ** 32) | 0 : Math.floor(random() * 256) - (type === 'int8' ? 128 : 0))),
  );
  const out = broadcastShape(a, b);
  let k = 0;
  for (const op of ['Add', 'Sub', 'Mul', 'Div']) {
    for (const [p, q] of [[x, y], [y, x], [x, constant]] as const) {
      g.output(g.rename(g.node(op, [p, q])[0]!, `out${k++}`), type, out);
    }
  }
  return g.save();
}

describe('float binary ops: host C vs reference', () => {
  it('float32 Add, Sub, Mul, Div on random broadcasts (zeros included: 0/0 stores one NaN)', async () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 3; trial++) {
      const [a, b] = randomBroadcast(random);
      const diff = await hostDiffFloat(binaryModel('float32', a, b, random), 4, trial + 1);
      expect(diff.bytes).toBeGreaterThan(0);
      expect(diff.mismatches, `shapes [${a}] [${b}]`).toBe(0);
    }
  });

  it('int8, uint8 and int32 wrap around (Div truncates, x / 0 = 0, INT32_MIN / -1 = INT32_MIN)', async () => {
    const random = seededRandom(8);
    for (const [type, a, b] of [
      ['int8', [2, 3, 4, 5], [4, 1]],
      ['uint8', [6, 7], [3, 6, 1]],
      ['int32', [5, 1, 6], [4, 6]],
    ] as const) {
      const diff = await hostDiffFloat(binaryModel(type, [...a], [...b], random), 6, 3, (values, r) => {
        // Plant zeros, -1 and the type's minimum so the special cases of Div occur.
        for (const v of values) for (let i = 0; i < v.data.length; i++) if (r() < 0.6) (v.data as Int32Array)[i] = [0, -1, type === 'int32' ? -2147483648 : -128][Math.floor(r() * 3)]!;
      });
      expect(diff.mismatches, `${type} shapes [${a}] [${b}]`).toBe(0);
    }
  });
});

describe('integer semantics, derived by hand', () => {
  it('wraps int8 and uint8, truncates Div toward zero, and defines x / 0 and INT32_MIN / -1', () => {
    const run = (op: string, type: ElemType, a: number[], b: number[]) => {
      const g = new GraphBuilder();
      g.output(g.rename(g.node(op, [g.input('a', type, [a.length]), g.constant(type, [b.length], b)])[0]!, 'z'), type, [a.length]);
      const compiled = compileModel({ modelPath: g.save(), rounding: 'onnx', allowFloat: true });
      const data = type === 'int8' ? Int8Array.from(a) : type === 'uint8' ? Uint8Array.from(a) : Int32Array.from(a);
      return Array.from(runReference(compiled.graph, [{ dtype: type, shape: [a.length], data }]).outputs[0]!.data as ArrayLike<number>);
    };
    // int8: 100 + 100 = 200 = -56 (mod 256); -100 - 100 = -200 = 56; 16 * 16 = 256 = 0; -7 / 2 = -3.5 -> -3; 5 / 0 -> 0.
    expect(run('Add', 'int8', [100], [100])).toEqual([-56]);
    expect(run('Sub', 'int8', [-100], [100])).toEqual([56]);
    expect(run('Mul', 'int8', [16, -3], [16, 5])).toEqual([0, -15]);
    expect(run('Div', 'int8', [-7, 7, 5, -128], [2, -2, 0, -1])).toEqual([-3, -3, 0, -128]);
    // uint8: 200 + 100 = 300 = 44; 10 - 20 = -10 = 246; 20 * 13 = 260 = 4; 255 / 2 = 127.
    expect(run('Add', 'uint8', [200], [100])).toEqual([44]);
    expect(run('Sub', 'uint8', [10], [20])).toEqual([246]);
    expect(run('Mul', 'uint8', [20], [13])).toEqual([4]);
    expect(run('Div', 'uint8', [255, 7], [2, 0])).toEqual([127, 0]);
    // int32: 2^31 - 1 + 1 = -2^31; 65536 * 65536 = 2^32 = 0; -2^31 / -1 = 2^31 = -2^31; -9 / 4 = -2.25 -> -2.
    expect(run('Add', 'int32', [2147483647], [1])).toEqual([-2147483648]);
    expect(run('Mul', 'int32', [65536], [65536])).toEqual([0]);
    expect(run('Div', 'int32', [-2147483648, -9, 3], [-1, 4, 0])).toEqual([-2147483648, -2, 0]);
  });
});

describe('float activations and softmax: host C vs reference', () => {
  it('every activation, Softmax on each axis, over a wide range of inputs', async () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 2; trial++) {
      const rank = 1 + Math.floor(random() * 4);
      const shape = Array.from({ length: rank }, () => 1 + Math.floor(random() * 6));
      const g = new GraphBuilder();
      const x = g.input('x', 'float32', shape);
      // Inputs in [-8, 8) times 14: [-112, 112), across every branch of expf, tanhf and sigmoidf.
      const wide = g.node('Mul', [x, g.scalar(14)])[0]!;
      let k = 0;
      const out = (name: string) => g.output(g.rename(name, `out${k++}`), 'float32', shape);
      for (const input of [x, wide]) {
        out(g.node('Relu', [input])[0]!);
        out(g.node('Clip', [input, g.scalar(Math.fround(random() * 4 - 3)), g.scalar(Math.fround(random() * 4))])[0]!);
        out(g.node('Clip', [input, '', g.scalar(0.5)])[0]!);
        out(g.node('LeakyRelu', [input], { alpha: { float: random() } })[0]!);
        out(g.node('HardSigmoid', [input], { alpha: { float: random() }, beta: { float: random() } })[0]!);
        out(g.node('HardSwish', [input])[0]!);
        out(g.node('Sigmoid', [input])[0]!);
        out(g.node('Tanh', [input])[0]!);
        for (let axis = -rank; axis < rank; axis++) out(g.node('Softmax', [input], { axis })[0]!);
      }
      const diff = await hostDiffFloat(g.save(), 4, trial + 5);
      expect(diff.mismatches, `shape [${shape}]`).toBe(0);
    }
  });

  it('opset 11: Softmax over the 2-D coercion, integer Relu and Clip', async () => {
    const g = new GraphBuilder();
    const shape = [2, 3, 4];
    const x = g.input('x', 'float32', shape);
    const q = g.input('q', 'int8', shape);
    for (const axis of [0, 1, 2, -1]) g.output(g.rename(g.node('Softmax', [x], { axis })[0]!, `s${axis + 1}`), 'float32', shape);
    g.output(g.rename(g.node('Clip', [x, g.scalar(-1), g.scalar(2)])[0]!, 'clip'), 'float32', shape);
    g.output(g.rename(g.node('Clip', [q, g.scalar(-20, 'int8'), ''])[0]!, 'qclip'), 'int8', shape);
    const path = withOpset(g.save(), 11);
    const diff = await hostDiffFloat(path, 3, 2);
    expect(diff.mismatches).toBe(0);
    // Opset 11 softmax at axis 1 of [2, 3, 4]: each of the 2 rows of 12 sums to 1.
    const compiled = compileModel({ modelPath: path, rounding: 'onnx', allowFloat: true });
    const input = { dtype: 'float32' as const, shape, data: Float32Array.from({ length: 24 }, (_, i) => (i % 7) - 3) };
    const qin = { dtype: 'int8' as const, shape, data: Int8Array.from({ length: 24 }, (_, i) => i * 11 - 128) };
    const outputs = runReference(compiled.graph, [input, qin]).outputs;
    const s1 = outputs[1]!.data as Float32Array;
    for (const row of [0, 1]) expect(Array.from(s1.subarray(row * 12, row * 12 + 12)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(Array.from(outputs[5]!.data as Int8Array)).toEqual(Array.from(qin.data, (v) => Math.max(-20, v)));
  });

  it('opset 6 Clip takes its bounds from attributes', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [5]);
    g.output(g.rename(g.node('Clip', [x], { min: { float: -0.5 }, max: { float: 1.5 } })[0]!, 'y'), 'float32', [5]);
    const compiled = compileModel({ modelPath: withOpset(g.save(), 6), rounding: 'onnx', allowFloat: true });
    const { outputs } = runReference(compiled.graph, [{ dtype: 'float32', shape: [5], data: Float32Array.from([-3, -0.25, 0, 1, 2]) }]);
    expect(Array.from(outputs[0]!.data as Float32Array)).toEqual([-0.5, -0.25, 0, 1, 1.5]);
  });
});

describe('Clip bounds', () => {
  it('an infinite bound clamps nothing, in the reference and the C', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [4, 5]);
    g.output(g.rename(g.node('Clip', [x, g.scalar(-Infinity), g.scalar(Infinity)])[0]!, 'open'), 'float32', [4, 5]);
    g.output(g.rename(g.node('Clip', [x, g.scalar(-Infinity), g.scalar(1)])[0]!, 'upper'), 'float32', [4, 5]);
    const path = g.save();
    expect((await hostDiffFloat(path, 2, 4)).mismatches).toBe(0);
    const compiled = compileModel({ modelPath: path, rounding: 'onnx', allowFloat: true });
    const data = Float32Array.from([-Infinity, -3e38, -1, 0, 0.5, 1, 2, 3e38, Infinity, ...new Array<number>(11).fill(0)]);
    const [open, upper] = runReference(compiled.graph, [{ dtype: 'float32', shape: [4, 5], data }]).outputs;
    expect(Array.from(open!.data as Float32Array)).toEqual(Array.from(data));
    expect(Array.from(upper!.data as Float32Array)).toEqual(Array.from(data, (v) => Math.min(v, 1)));
  });
});

describe('float elementwise ops: bad input', () => {
  const compile = (build: (g: GraphBuilder) => void, opset = 13) => {
    const g = new GraphBuilder();
    build(g);
    return () => compileModel({ modelPath: withOpset(g.save(), opset), rounding: 'onnx', allowFloat: true });
  };
  const expectUserError = (fn: () => unknown, pattern: RegExp) => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message).not.toContain('\n');
  };

  it('names the node and the reason', () => {
    expectUserError(
      compile((g) => g.output(g.rename(g.node('Add', [g.input('x', 'float32', [3, 4]), g.input('y', 'float32', [3])])[0]!, 'z'), 'float32', [3, 4])),
      /node 'Add_\d+' \(FloatAdd\): shapes \[3,4\] and \[3\] do not broadcast/,
    );
    expectUserError(
      compile((g) => g.output(g.rename(g.node('Sub', [g.input('x', 'float32', [3]), g.input('y', 'int32', [3])])[0]!, 'z'), 'float32', [3])),
      /\(FloatSub\): A is float32 but B is int32/,
    );
    expectUserError(
      compile((g) => g.output(g.rename(g.node('Softmax', [g.input('x', 'float32', [3])], { axis: 2 })[0]!, 'z'), 'float32', [3])),
      /\(FloatSoftmax\): axis 2 is outside rank 1/,
    );
    expectUserError(
      compile((g) => g.output(g.rename(g.node('Sigmoid', [g.input('x', 'int8', [3])])[0]!, 'z'), 'int8', [3])),
      /\(FloatSigmoid\): input 'x' is int8; supported: float32/,
    );
    expectUserError(
      compile((g) => g.output(g.rename(g.node('Clip', [g.input('x', 'float32', [3]), g.scalar(Infinity)])[0]!, 'z'), 'float32', [3])),
      /\(FloatClip\): bounds of \+inf as min or -inf as max are not supported/,
    );
    expectUserError(
      compile((g) => g.output(g.rename(g.node('Clip', [g.input('x', 'int8', [3])], { min: { float: -1 } })[0]!, 'z'), 'int8', [3]), 6),
      /\(FloatClip\): Clip before opset 11 is defined on floats only/,
    );
    expectUserError(
      compile((g) => g.output(g.rename(g.node('Clip', [g.input('x', 'float32', [3]), g.input('lo', 'float32', [])])[0]!, 'z'), 'float32', [3])),
      /\(Clip\): min 'lo' must be a constant initializer/,
    );
  });

  it('float ops are refused unless allowed', () => {
    const g = new GraphBuilder();
    g.output(g.rename(g.node('Tanh', [g.input('x', 'float32', [3])])[0]!, 'z'), 'float32', [3]);
    expect(() => compileModel({ modelPath: g.save(), rounding: 'onnx' })).toThrow(UserError);
  });
});

describe('float ops vs ONNX Runtime (its float kernels, on random data)', () => {
  it('Add, Sub, Mul, Div equal ONNX Runtime bit for bit; the activations and Softmax stay within 1e-6 relative of it (Sigmoid 1e-4; 1e-7 absolute below 1e-3)', async () => {
    const { runOrt } = await import('../helpers/ort.ts');
    const random = seededRandom(21);
    const shape = [3, 4, 5, 6];
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', shape);
    const y = g.input('y', 'float32', [5, 1]);
    const wide = g.node('Mul', [x, g.scalar(14)])[0]!;
    const names: string[] = [];
    const out = (name: string, what: string) => {
      names.push(what);
      g.output(g.rename(name, `out${names.length}`), 'float32', shape);
    };
    for (const op of ['Add', 'Sub', 'Mul', 'Div']) out(g.node(op, [x, y])[0]!, op);
    for (const input of [x, wide]) {
      out(g.node('Relu', [input])[0]!, 'Relu');
      out(g.node('Clip', [input, g.scalar(-1.25), g.scalar(3.5)])[0]!, 'Clip');
      out(g.node('LeakyRelu', [input], { alpha: { float: 0.3 } })[0]!, 'LeakyRelu');
      out(g.node('HardSigmoid', [input], { alpha: { float: 0.3 }, beta: { float: 0.4 } })[0]!, 'HardSigmoid');
      out(g.node('HardSwish', [input])[0]!, 'HardSwish');
      out(g.node('Sigmoid', [input])[0]!, 'Sigmoid');
      out(g.node('Tanh', [input])[0]!, 'Tanh');
      for (const axis of [1, -1]) out(g.node('Softmax', [input], { axis })[0]!, `Softmax axis ${axis}`);
    }
    const path = withOpset(g.save(), 14);
    const compiled = compileModel({ modelPath: path, rounding: 'onnx', allowFloat: true });
    const worst = new Map<string, number>();
    let exactBinary = 0;
    let compared = 0;
    for (let trial = 0; trial < 20; trial++) {
      const values = randomInputs(compiled.graph, random);
      const ours = runReference(compiled.graph, values).outputs;
      const theirs = await runOrt(path, ['x', 'y'], values);
      ours.forEach((o, k) => {
        const a = o.data as Float32Array;
        const b = theirs[k]!.data as Float32Array;
        for (let i = 0; i < a.length; i++) {
          compared++;
          if (k < 4) {
            if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) exactBinary++;
            continue;
          }
          // Relative where ORT's value is at least 1e-3; below, ORT's own approximations (its sigmoid
          // is a rational fit, its input clamped to about +-18) are coarser than float32 in relative
          // terms, so the difference is absolute there.
          const diff = Math.abs(a[i]! - b[i]!);
          const key = Math.abs(b[i]!) >= 1e-3 ? names[k]! : `${names[k]} (absolute, below 1e-3)`;
          const err = Math.abs(b[i]!) >= 1e-3 ? diff / Math.abs(b[i]!) : diff;
          worst.set(key, Math.max(worst.get(key) ?? 0, err));
        }
      });
    }
    console.log(`compared ${compared} values; binary ops exact: ${exactBinary}; worst relative difference from ORT:`, Object.fromEntries(worst));
    expect(exactBinary).toBe(20 * 4 * 360);
    // ORT's sigmoid (MLAS's rational approximation) is itself off by up to ~7e-5 relative; ours is within
    // 2e-7 of the exact value (test/numerics/float-math.test.ts).
    for (const [what, err] of worst) expect(err, what).toBeLessThan(what.includes('absolute') ? 1e-7 : what === 'Sigmoid' ? 1e-4 : 1e-6);
  }, 30_000);
});
