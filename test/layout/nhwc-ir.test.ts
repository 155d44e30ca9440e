/**
 * The NHWC IR: each frontend converts its own format once. TFLite's NHWC tensors and weights pass
 * straight into the IR; ONNX's NCHW convs and max pools are wrapped in Transposes at import, with
 * their weights reordered there, and the layout pass cancels the Transposes between NHWC ops. The
 * expected weight orders are written out from the definitions of OIHW and of the kernels' orders;
 * the rewritten graphs are checked against ONNX Runtime, not only against themselves.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../../src/pipeline.ts';
import { loadOnnxBytes } from '../../src/frontend/onnx/load.ts';
import { loadTfliteBytes } from '../../src/frontend/tflite/load.ts';
import { readModelFile } from '../../src/frontend/read-model.ts';
import { buildTflite } from '../helpers/tflite-builder.ts';
import { dsCnnLike, elementwiseChain } from '../helpers/tflite-networks.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { oracleDiff } from '../helpers/oracle.ts';
import { opDefinition } from '../../src/ops/registry.ts';

const loadOnnx = (path: string) => loadOnnxBytes(readModelFile(path), path).graph;

/** QLinearConv with weight values 0, 1, 2, ... in OIHW order, so a weight's value names its OIHW index. */
function convModel(options: { channels: number; outChannels: number; group: number; before?: 'pad'; after?: 'nhwc-output' }): string {
  const { channels, outChannels, group } = options;
  const g = new GraphBuilder();
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  let x = g.input('x', 'int8', [1, channels, 5, 5]);
  if (options.before === 'pad') {
    x = g.node('Pad', [x, g.constant('int64', [8], [0, 0, 1, 1, 0, 0, 1, 1]), z(0)], { mode: 'constant' })[0]!;
  }
  const count = outChannels * (channels / group) * 9;
  const w = g.constant('int8', [outChannels, channels / group, 3, 3], Array.from({ length: count }, (_, i) => (i % 200) - 100));
  let y = g.node('QLinearConv', [x, s(0.05), z(0), w, s(0.01), z(0), s(0.07), z(-3)], { kernel_shape: [3, 3], group })[0]!;
  const size = options.before === 'pad' ? 5 : 3;
  if (options.after === 'nhwc-output') {
    y = g.node('Transpose', [y], { perm: [0, 2, 3, 1] })[0]!;
    g.output(g.rename(y, 'y'), 'int8', [1, size, size, outChannels]);
  } else {
    g.output(g.rename(y, 'y'), 'int8', [1, outChannels, size, size]);
  }
  return g.save();
}

describe('TFLite passes straight into the NHWC IR', () => {
  it('no Transpose is imported, and conv and depthwise weights are the file constants themselves', () => {
    const spec = dsCnnLike();
    const { graph } = loadTfliteBytes(buildTflite(spec), 'ds_cnn_like.tflite');
    expect(graph.nodes.filter((n) => n.op === 'Transpose')).toEqual([]);
    const convs = graph.nodes.filter((n) => n.op === 'QLinearConv');
    expect(convs.map((n) => graph.tensors.get(n.inputs[1]!)!.name)).toEqual(['conv1_w', 'dw_w', 'pw_w']);
    // DEPTHWISE_CONV_2D's [1][k_h][k_w][C] is the depthwise kernel's order: unchanged.
    expect(graph.tensors.get('dw_w')!.shape).toEqual([1, 3, 3, 8]);
    const avg = graph.nodes.find((n) => n.op === 'QLinearAveragePool')!;
    expect(avg.attrs.channels_last).toBe(1);
  });

  it('MACs per conv follow the weight layouts: output elements times taps per output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-nhwc-'));
    const path = join(dir, 'ds_cnn_like.tflite');
    writeFileSync(path, buildTflite(dsCnnLike()));
    const { graph } = compileModel({ modelPath: path });
    const macs = graph.nodes.filter((n) => n.op === 'QLinearConv').map((n) => opDefinition(n.op).macs!(n, graph));
    // conv1: 5x4x8 outputs x 3x3x1 taps; depthwise: 5x4x8 x 3x3; pointwise: 5x4x8 x 8.
    expect(macs).toEqual([5 * 4 * 8 * 9, 5 * 4 * 8 * 9, 5 * 4 * 8 * 8]);
  });

  it('the elementwise chain (PAD, CONCATENATION, MEAN ...) lowers with no Transpose but its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-nhwc-'));
    const path = join(dir, 'chain.tflite');
    writeFileSync(path, buildTflite(elementwiseChain()));
    const { graph } = compileModel({ modelPath: path });
    // The chain ends in the model's own TRANSPOSE to [1, 8, 1, 1]; nothing else moves data between layouts.
    expect(graph.nodes.filter((n) => n.op === 'Transpose').map((n) => n.name)).toHaveLength(1);
    expect(graph.nodes.find((n) => n.op === 'Pad')!.attrs.pads).toHaveLength(8);
  });
});

describe('ONNX is converted to the NHWC IR once, at import', () => {
  it('a depthwise QLinearConv gets [1][k_h][k_w][out_c] weights between two Transposes', () => {
    const graph = loadOnnx(convModel({ channels: 4, outChannels: 4, group: 4 }));
    expect(graph.nodes.map((n) => n.op)).toEqual(['Transpose', 'QLinearConv', 'Transpose']);
    expect(graph.nodes.map((n) => n.attrs.perm)).toEqual([[0, 2, 3, 1], undefined, [0, 3, 1, 2]]);
    const w = graph.tensors.get(graph.nodes[1]!.inputs[1]!)!;
    expect(w.shape).toEqual([1, 3, 3, 4]);
    // OIHW index of (oc, 0, ky, kx) is oc * 9 + ky * 3 + kx; the kernel reads it at (ky * 3 + kx) * 4 + oc.
    const data = w.data as Int8Array;
    for (const [oc, ky, kx] of [[0, 0, 0], [3, 0, 0], [1, 2, 1], [2, 1, 2]] as const) {
      expect(data[(ky * 3 + kx) * 4 + oc]).toBe(((oc * 9 + ky * 3 + kx) % 200) - 100);
    }
  });

  it('a grouped QLinearConv gets OHWI weights', () => {
    const graph = loadOnnx(convModel({ channels: 4, outChannels: 6, group: 2 }));
    const w = graph.tensors.get(graph.nodes[1]!.inputs[1]!)!;
    expect(w.shape).toEqual([6, 3, 3, 2]);
    // OIHW (oc, ic, ky, kx) at ((oc * 2 + ic) * 3 + ky) * 3 + kx; OHWI at ((oc * 3 + ky) * 3 + kx) * 2 + ic.
    const data = w.data as Int8Array;
    for (const [oc, ic, ky, kx] of [[5, 1, 2, 2], [0, 1, 0, 2], [3, 0, 1, 0]] as const) {
      expect(data[((oc * 3 + ky) * 3 + kx) * 2 + ic]).toBe(((((oc * 2 + ic) * 3 + ky) * 3 + kx) % 200) - 100);
    }
  });

  it('after lowering, only the API tensors are transposed, and the bytes equal ONNX Runtime', async () => {
    const path = convModel({ channels: 4, outChannels: 4, group: 4 });
    const { graph } = compileModel({ modelPath: path });
    expect(graph.nodes.map((n) => n.op)).toEqual(['Transpose', 'QLinearConv', 'Transpose']);
    const diff = await oracleDiff(path, 'onnx', 3);
    expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
  });

  it('a Pad in front of a conv runs on NHWC; a Pad alone runs as the model has it', async () => {
    const padded = convModel({ channels: 2, outChannels: 3, group: 1, before: 'pad' });
    const { graph } = compileModel({ modelPath: padded });
    expect(graph.nodes.map((n) => n.op)).toEqual(['Transpose', 'Pad', 'QLinearConv', 'Transpose']);
    expect(graph.nodes[1]!.attrs.pads).toEqual([0, 1, 1, 0, 0, 1, 1, 0]);
    const diff = await oracleDiff(padded, 'onnx', 3);
    expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);

    const g = new GraphBuilder();
    const x = g.input('x', 'int8', [1, 2, 3, 3]);
    const y = g.node('Pad', [x, g.constant('int64', [8], [0, 0, 1, 0, 0, 0, 0, 2]), g.scalar(5, 'int8')], { mode: 'constant' })[0]!;
    g.output(g.rename(y, 'y'), 'int8', [1, 2, 4, 5]);
    const alone = compileModel({ modelPath: g.save() });
    expect(alone.graph.nodes.map((n) => n.op)).toEqual(['Pad']);
  });

  it("a model that transposes its conv's output to NHWC itself gets the conv writing the graph output", async () => {
    const path = convModel({ channels: 2, outChannels: 3, group: 1, after: 'nhwc-output' });
    const { graph } = compileModel({ modelPath: path });
    expect(graph.nodes.map((n) => n.op)).toEqual(['Transpose', 'QLinearConv']);
    expect(graph.nodes[1]!.outputs).toEqual(['y']);
    const diff = await oracleDiff(path, 'onnx', 3);
    expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
  });

  it('two convs that share one weight initializer each get their own reordered copy', async () => {
    const g = new GraphBuilder();
    const s = (v: number) => g.scalar(v);
    const z = (v: number) => g.scalar(v, 'int8');
    const x = g.input('x', 'int8', [1, 2, 4, 4]);
    const w = g.constant('int8', [2, 2, 1, 3], [1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12]);
    const conv = (input: string) => g.node('QLinearConv', [input, s(0.05), z(0), w, s(0.01), z(0), s(0.05), z(0)], { kernel_shape: [1, 3], pads: [0, 1, 0, 1] })[0]!;
    g.output(g.rename(conv(conv(x)), 'y'), 'int8', [1, 2, 4, 4]);
    const path = g.save();
    const graph = loadOnnx(path);
    const weights = graph.nodes.filter((n) => n.op === 'QLinearConv').map((n) => n.inputs[1]!);
    expect(new Set(weights).size).toBe(2);
    // OIHW [2][2][1][3] → OHWI [2][1][3][2]: for each output channel, the taps with both input channels side by side.
    for (const name of weights) expect(Array.from(graph.tensors.get(name)!.data as Int8Array)).toEqual([1, -4, -2, 5, 3, -6, 7, -10, -8, 11, 9, -12]);
    const diff = await oracleDiff(path, 'onnx', 3);
    expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
  });

  it('a constant read by one op that runs on NHWC and one that does not keeps its order for the second', async () => {
    // x -> 1x1 QLinearConv -> QLinearAdd(., K) runs on NHWC (its input is the conv's NHWC output);
    // QLinearAdd(x, K) runs on the model's NCHW input. K [1, 4, 1, 1] must stay NCHW for it.
    const g = new GraphBuilder();
    const s = (v: number) => g.scalar(v);
    const z = (v: number) => g.scalar(v, 'int8');
    const x = g.input('x', 'int8', [1, 4, 3, 4]);
    const w = g.constant('int8', [4, 4, 1, 1], [3, -1, 2, 0, 1, 4, -2, 1, 0, 2, 5, -3, -1, 1, 0, 6]);
    const conv = g.node('QLinearConv', [x, s(0.05), z(1), w, s(0.02), z(0), s(0.06), z(-2)], { kernel_shape: [1, 1] })[0]!;
    const k = g.constant('int8', [1, 4, 1, 1], [-90, -20, 40, 110]);
    const add = (a: string, aScale: number, aZero: number) => g.node('QLinearAdd', [a, s(aScale), z(aZero), k, s(0.04), z(5), s(0.08), z(-3)], {}, { domain: 'com.microsoft' })[0]!;
    g.output(g.rename(add(conv, 0.06, -2), 'a'), 'int8', [1, 4, 3, 4]);
    g.output(g.rename(add(x, 0.05, 1), 'b'), 'int8', [1, 4, 3, 4]);
    const path = g.save();
    const { graph } = compileModel({ modelPath: path });
    const adds = graph.nodes.filter((n) => n.op === 'QLinearAdd').map((n) => graph.tensors.get(n.inputs[1]!)!.shape);
    expect(adds).toContainEqual([1, 1, 1, 4]); // the NHWC one's copy
    expect(adds).toContainEqual([1, 4, 1, 1]); // the NCHW one's, as the model has it
    const diff = await oracleDiff(path, 'onnx', 3);
    expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
  });
});
