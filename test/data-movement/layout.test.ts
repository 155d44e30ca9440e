/**
 * Data movement inside networks: 4-D Concat (channel axis), Pad and Resize run on NHWC tensors
 * with no transposes of their own; views with the same quantization on both sides alias their
 * input, with another one they requantize; bad input is one UserError line naming the node.
 */
import { modelSourceFile } from '../../src/codegen/generate.ts';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, type ElemType } from '../helpers/onnx-builder.ts';
import { oracleDiff } from '../helpers/oracle.ts';
import { compileModel, generate } from '../../src/pipeline.ts';
import { UserError } from '../../src/errors.ts';
import { seededRandom } from '../../src/util/random.ts';
import { saveModel } from './models.ts';

const rng = seededRandom(77);
const ints = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + Math.floor(rng() * (hi - lo + 1)));

/**
 * x [1,3,8,8] → conv A (4 ch) and conv B (5 ch) → Concat(axis 1; B quantized unlike the output)
 * → Pad (reflect, H and W) → Resize (nearest, x2) → conv C → y. `qdq` builds the same network
 * as DequantizeLinear → float op → QuantizeLinear patterns, in uint8: ONNX Runtime on x86 fuses
 * QDQ convolutions of uint8 activations into QLinearConv but runs int8 ones in float.
 */
function network(qdq: boolean): string {
  const g = new GraphBuilder();
  const t: ElemType = qdq ? 'uint8' : 'int8';
  const o = qdq ? 128 : 0; // zero-point offset
  const x = g.input('x', t, [1, 3, 8, 8]);
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, t);
  const dq = (v: string, sc: number, zp: number) => g.node('DequantizeLinear', [v, s(sc), z(zp)])[0]!;
  const q = (v: string, sc: number, zp: number) => g.node('QuantizeLinear', [v, s(sc), z(zp)])[0]!;
  const conv = (input: string, inQ: [number, number], cin: number, cout: number, outQ: [number, number]) => {
    const w = g.constant('int8', [cout, cin, 3, 3], ints(cout * cin * 9, -100, 100));
    const b = g.constant('int32', [cout], ints(cout, -500, 500));
    if (!qdq) return g.node('QLinearConv', [input, s(inQ[0]), z(inQ[1]), w, s(0.01), g.scalar(0, 'int8'), s(outQ[0]), z(outQ[1]), b], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })[0]!;
    const wf = g.node('DequantizeLinear', [w, s(0.01), g.scalar(0, 'int8')])[0]!;
    const bf = g.node('DequantizeLinear', [b, s(Math.fround(Math.fround(inQ[0]) * Math.fround(0.01))), g.scalar(0, 'int32')])[0]!;
    return q(g.node('Conv', [dq(input, ...inQ), wf, bf], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })[0]!, ...outQ);
  };
  const a = conv(x, [0.05, o], 3, 4, [0.1, o - 3]);
  const b = conv(x, [0.05, o], 3, 5, [0.07, o + 10]);
  const catQ: [number, number] = [0.1, o - 3];
  const cat = qdq
    ? q(g.node('Concat', [dq(a, 0.1, o - 3), dq(b, 0.07, o + 10)], { axis: 1 })[0]!, ...catQ)
    : g.node('QLinearConcat', [s(catQ[0]), z(catQ[1]), a, s(0.1), z(o - 3), b, s(0.07), z(o + 10)], { axis: 1 }, { domain: 'com.microsoft' })[0]!;
  const pads = g.constant('int64', [8], [0, 0, 1, 2, 0, 0, 2, 1]);
  const padded = qdq ? q(g.node('Pad', [dq(cat, ...catQ), pads], { mode: 'reflect' })[0]!, ...catQ) : g.node('Pad', [cat, pads], { mode: 'reflect' })[0]!;
  const scales = g.constant('float32', [4], [1, 1, 2, 2]);
  const resized = qdq
    ? q(g.node('Resize', [dq(padded, ...catQ), '', scales], { mode: 'nearest' })[0]!, ...catQ)
    : g.node('Resize', [padded, '', scales], { mode: 'nearest' })[0]!;
  const y = conv(resized, catQ, 9, 2, [0.2, o + 1]);
  g.output(g.rename(y, 'y'), t, []);
  return saveModel(g, { opset: 13 });
}

describe('data movement in networks', () => {
  for (const qdq of [false, true]) {
    it(`${qdq ? 'QDQ' : 'QOperator'}: channel Concat, Pad and Resize run on NHWC with no transposes, and equal ONNX Runtime`, async () => {
      const path = network(qdq);
      const { graph } = compileModel({ modelPath: path });
      const ops = graph.nodes.map((n) => n.op);
      expect(ops.filter((op) => ['QLinearConcat', 'Pad', 'Resize'].includes(op))).toEqual(['QLinearConcat', 'Pad', 'Resize']);
      // Only the API input's and output's layout changes remain.
      expect(ops.filter((op) => op === 'Transpose')).toHaveLength(2);
      const concat = graph.nodes.find((n) => n.op === 'QLinearConcat')!;
      expect(concat.attrs.axis).toBe(3);
      for (const n of graph.nodes.filter((n) => ['QLinearConcat', 'Pad', 'Resize'].includes(n.op))) {
        expect(graph.tensors.get(n.outputs[0]!)!.shape.at(-1), n.op).toBe(9); // channels last
      }
      const diff = await oracleDiff(path, 'onnx', 4);
      expect(diff.elements).toBe(4 * 2 * 22 * 22);
      expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
    });
  }

  it('a QDQ view quantized alike on both sides aliases its input; quantized otherwise it requantizes', () => {
    const build = (outScale: number) => {
      const g = new GraphBuilder();
      const x = g.input('x', 'int8', [1, 2, 3, 4]);
      const f = g.node('DequantizeLinear', [x, g.scalar(0.1), g.scalar(1, 'int8')])[0]!;
      const r = g.node('Reshape', [f, g.constant('int64', [2], [4, 6])])[0]!;
      const rq = g.node('QuantizeLinear', [r, g.scalar(0.1), g.scalar(1, 'int8')])[0]!;
      const u = g.node('Unsqueeze', [g.node('DequantizeLinear', [rq, g.scalar(0.1), g.scalar(1, 'int8')])[0]!, g.constant('int64', [1], [0])])[0]!;
      const y = g.node('QuantizeLinear', [u, g.scalar(outScale), g.scalar(1, 'int8')])[0]!;
      g.output(g.rename(y, 'y'), 'int8', []);
      return compileModel({ modelPath: saveModel(g, { opset: 13 }) });
    };
    const same = build(0.1);
    const reshapeNode = same.graph.nodes.find((n) => n.op === 'Reshape')!;
    expect(same.plan.aliasedSteps.has(same.graph.nodes.indexOf(reshapeNode))).toBe(true);
    expect(generate(same).files.get(modelSourceFile(same.name))).not.toContain('tg_requant_copy_s8');
    const other = build(0.2);
    const unsqueezeNode = other.graph.nodes.find((n) => n.op === 'Unsqueeze')!;
    expect(other.plan.aliasedSteps.has(other.graph.nodes.indexOf(unsqueezeNode))).toBe(false);
    expect(generate(other).files.get(modelSourceFile(other.name))).toContain('tg_requant_copy_s8');
  });

  it('rejects what it cannot honour with one line naming the node and the reason', () => {
    const fails = (make: (g: GraphBuilder, x: string) => string, pattern: RegExp, opset = 19) => {
      const g = new GraphBuilder();
      const y = make(g, g.input('x', 'int8', [1, 2, 3, 4]));
      g.output(g.rename(y, 'y'), 'int8', []);
      const path = saveModel(g, { opset });
      expect(() => compileModel({ modelPath: path })).toThrow(UserError);
      expect(() => compileModel({ modelPath: path })).toThrow(pattern);
    };
    fails((g, x) => g.node('Resize', [x, '', g.constant('float32', [4], [1, 1, 2, 2])], { mode: 'linear' })[0]!, /node 'Resize_\d+' \(Resize\): mode 'linear' is not supported/);
    fails((g, x) => g.node('Resize', [x, '', g.constant('float32', [4], [1, 1, 2, 2])], { mode: 'cubic' })[0]!, /mode 'cubic'/);
    fails((g, x) => g.node('Pad', [x, g.constant('int64', [8], [0, 0, 0, 4, 0, 0, 0, 0])], { mode: 'reflect' })[0]!, /node 'Pad_\d+' \(Pad\): reflect pads \[4, 0\] must be smaller than axis 3's size 4/);
    fails((g, x) => g.node('Pad', [x, g.constant('int64', [8], [0, 0, 0, 5, 0, 0, 0, 0])], { mode: 'wrap' })[0]!, /wrap pads \[5, 0\]/);
    fails((g, x) => g.node('Squeeze', [x, g.constant('int64', [1], [1])])[0]!, /node 'Squeeze_\d+' \(Squeeze\): axis 1 has size 2, not 1/, 13);
    fails((g, x) => g.node('Unsqueeze', [x, g.constant('int64', [2], [1, -5])])[0]!, /repeat an axis/, 13);
    fails((g, x) => g.node('Concat', [x, g.input('x2', 'int8', [1, 3, 3, 4])], { axis: 0 })[0]!, /does not fit/);
  });
});
