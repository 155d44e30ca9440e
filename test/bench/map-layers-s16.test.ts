/**
 * The yardstick's mapping of 16x8 layers (Conv16x8) to CMSIS-NN's s16 kernels, on the host: which
 * function each layer becomes and with what arguments, the int32-bias path and TRANSPOSE_CONV
 * refused with their reasons, and a layer whose CMSIS-NN bytes differ from tinygen's reference
 * turned into an error with no figure. The firmware side is against-s16-qemu.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel, generate } from '../../src/pipeline.ts';
import { loadBoard } from '../../src/boards/board.ts';
import { conv16x8 } from '../../src/ops/conv-16x8/index.ts';
import { planYardstick, type Conv16Call, type FullyConnected16Call } from '../../src/bench/yardstick/map-layers.ts';
import { compareWithYardstick, type YardstickMeasurement } from '../../src/bench/yardstick/against.ts';
import { recordLayout } from '../../src/bench/yardstick/firmware.ts';
import { tensorBytes, tensorOf } from '../../src/ir/graph.ts';
import { SHARED } from '../helpers/paths.ts';
import { s16Network, S16_NETWORK_KERNELS } from './s16-network.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-map-s16-'));
const MODEL = join(dir, 's16_network.tflite');
writeFileSync(MODEL, s16Network());

function plan(modelPath: string, bound?: Map<string, number[]>) {
  const compiled = compileModel({ modelPath, rounding: 'tflite', lineBuffer: false, ...(bound ? { bound } : {}) });
  const runs = generate(compiled).layers.map((l) => l.runs);
  return { compiled, plan: planYardstick(compiled.graph, runs) };
}

describe('the CMSIS-NN yardstick on 16x8 layers', () => {
  it('maps conv, depthwise and FULLY_CONNECTED to the s16 wrappers with tinygen\'s multipliers, and refuses an int32 bias', () => {
    const { compiled, plan: p } = plan(MODEL);
    const compute = compiled.graph.nodes.map((n, index) => ({ n, index })).filter(({ n }) => n.op === 'Conv16x8');
    const kernelOf = (index: number) => p.mapped.find((l) => l.index === index)?.call.kernel ?? null;
    expect(compute.map(({ index }) => kernelOf(index))).toEqual([...S16_NETWORK_KERNELS]);
    expect(p.mapped.map((l) => l.kind)).toEqual(['conv 16x8', 'depthwise conv 16x8', 'depthwise conv 16x8', 'fully connected 16x8']);

    const int32 = p.unmapped.find((l) => l.index === compute[3]!.index)!;
    expect(int32.reason).toBe("Conv16x8 with an int32 bias (TFLM's int32 path, which rounds twice; the yardstick maps the int64-bias path only)");
    // The FULLY_CONNECTED's views run no code.
    expect(p.unmapped.filter((l) => l.op === 'Reshape').map((l) => l.reason)).toEqual(['view: no code runs', 'view: no code runs']);

    // The arguments are tinygen's own: geometry, TFLite's Q31 multipliers and shifts, the weights and the int64 bias.
    const conv = p.mapped[0]!.call as Conv16Call;
    const params = conv16x8.paramsOf(compute[0]!.n);
    expect(conv).toMatchObject({ input: { n: 1, h: 6, w: 20, c: 8 }, filter: { n: 16, h: 3, w: 3, c: 8 }, output: { n: 1, h: 6, w: 10, c: 16 }, stride: [1, 2], padding: [1, 0], dilation: [1, 1], chMult: 1 });
    expect(conv.multipliers).toEqual(params.multipliers.map((m) => m.multiplier));
    expect(conv.shifts).toEqual(params.multipliers.map((m) => m.shift));
    expect([conv.actMin, conv.actMax]).toEqual([0, 32767]);
    expect(conv.bias).toBeInstanceOf(BigInt64Array);
    expect(conv.bias!.length).toBe(16);
    expect(conv.weights.length).toBe(16 * 3 * 3 * 8);

    const dw = p.mapped[1]!.call as Conv16Call;
    expect(dw).toMatchObject({ filter: { n: 1, h: 3, w: 3, c: 16 }, chMult: 1, padding: [1, 1] });
    const dilated = p.mapped[2]!.call as Conv16Call;
    expect(dilated).toMatchObject({ input: { c: 16 }, filter: { n: 1, h: 3, w: 3, c: 32 }, output: { h: 4, w: 6, c: 32 }, chMult: 2, dilation: [1, 2], padding: [0, 0], bias: null });

    const fc = p.mapped[3]!.call as FullyConnected16Call;
    const fcParams = conv16x8.paramsOf(compute[4]!.n);
    expect(fc).toMatchObject({ kernel: 'arm_fully_connected_s16', batches: 3, k: 64, n: 10, multiplier: fcParams.multipliers[0]!.multiplier, shift: fcParams.multipliers[0]!.shift });
    expect(fc.bias!.length).toBe(10);
  });

  it("lists SEANet's 16x8 TRANSPOSE_CONV as having no yardstick: CMSIS-NN has no s16 transpose convolution", () => {
    const model = join(SHARED, 'conformance', 'tflm-seanet', 'transpose_conv', 'transpose_conv1.tflite');
    const { plan: p } = plan(model, new Map([['streamable_model_10/unet_0/decoder_3/conv2dtranspose_3x4/conv/stack', [1, 3, 22, 32]]]));
    expect(p.mapped).toEqual([]);
    expect(p.unmapped).toEqual([{ index: 0, node: 'TRANSPOSE_CONV_0', op: 'TFLiteTransposeConv', reason: 'CMSIS-NN has no s16 transpose convolution (arm_transpose_conv_wrapper_s8 is int8 only)' }]);
  });

  it("makes a layer whose CMSIS-NN bytes differ from the reference an error with no figure, and keeps the others' figures", () => {
    const { compiled, plan: p } = plan(MODEL);
    const graph = compiled.graph;
    const layout = recordLayout(p.mapped, (t) => tensorBytes(tensorOf(graph, t)));
    const expected = layout.slots.map((s, i) => Uint8Array.from({ length: s.output.bytes }, (_, b) => (b * 7 + i) & 0xff));
    const outputs = new Uint8Array(layout.outputBytes);
    layout.slots.forEach((s, i) => outputs.set(expected[i]!, s.output.offset));
    const ticks = new Map(p.mapped.map((l) => [l.index, 1000]));
    const tinygen = graph.nodes.map((n, index) => ({ index, node: n.name, op: n.op, macs: 1, instructions: 50_000 }));
    const measured = (out: Uint8Array): YardstickMeasurement => ({ plan: p, layout, run: { layerTicks: ticks, outputs: out, cmsisNnFunctions: new Map() }, expected });
    const board = loadBoard('mps2-an386');

    const right = compareWithYardstick(tinygen, measured(outputs), board, '/cmsis-nn', 40, null);
    expect(right.failure).toBeUndefined();
    expect(right.yardstickMatchesReference).toBe(true);
    expect(right.total).toMatchObject({ layers: 4, tinygenInstructions: 200_000, cmsisNnInstructions: 160_000 });

    // One byte off in the depthwise layer's output.
    const wrong = outputs.slice();
    wrong[layout.slots[1]!.output.offset + 5]! ^= 1;
    const a = compareWithYardstick(tinygen, measured(wrong), board, '/cmsis-nn', 40, null);
    const dw = a.layers.find((l) => l.index === p.mapped[1]!.index)!;
    expect(dw).toMatchObject({ matchesReference: false, cmsisNnInstructions: null, ratio: null, cmsisNnFunction: 'arm_depthwise_conv_wrapper_s16' });
    expect(a.yardstickMatchesReference).toBe(false);
    expect(a.failure).toBe(
      `CMSIS-NN's output differs from tinygen's reference on layer ${dw.index} (DEPTHWISE_CONV_2D_1, arm_depthwise_conv_wrapper_s16): the yardstick does not compute what tinygen computes there, so it gives no figure for it`,
    );
    expect(a.total).toMatchObject({ layers: 3, tinygenInstructions: 150_000, cmsisNnInstructions: 120_000 });
  });
});
