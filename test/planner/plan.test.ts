/**
 * The memory planner on random graphs (chains with residual blocks, parallel branches,
 * elementwise lookups and broadcast multiplies) and on the test networks and example models:
 * no tensor is overwritten while it is still to be read (views and in-place ops included, in
 * the order the scheduler chose), the per-step live bytes and the lower bound are what the
 * tensors' lifetimes give, the arena is never below the bound, reaches it on linear chains and
 * stays within 5% of it on branchy graphs, and elementwise ops run in place exactly where their
 * input dies.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel, type Compiled } from '../../src/pipeline.ts';
import { tensorBytes, tensorOf } from '../../src/ir/graph.ts';
import { alignUp } from '../../src/passes/plan-memory.ts';
import { seededRandom } from '../../src/util/random.ts';
import { ringRows } from '../../src/ops/qlinear-conv/definition.ts';
import { buildNetwork, NETWORKS, type NetworkName } from '../helpers/networks.ts';
import { SHARED } from '../helpers/paths.ts';
import { paddedPointwise, randomGraph, randomPointwiseChain } from './random-graphs.ts';
import { twoInTwoOut } from '../networks/two-in-two-out.ts';
import { expectedInPlace, expectSoundPlan } from './check-plan.ts';

/** The plan invariants every compiled model must satisfy. */
function checkPlan({ graph, plan, io }: Compiled, label: string): void {
  expectSoundPlan({ graph, plan, io }, label);
  expect(plan.lowerBoundBytes, label).toBe(Math.max(0, ...plan.liveBytes));
  expect(plan.arenaBytes, label).toBeGreaterThanOrEqual(plan.lowerBoundBytes);
  // A layer in place over an input of another size (pointwise) ends the input's buffer and starts
  // the output's at its step, over shared bytes; the byte-level simulation above checks its order.
  const tiedAt = (a: { first: number; last: number }, b: { first: number; last: number }) =>
    (a.last === b.first && plan.inPlaceSteps.has(a.last)) || (b.last === a.first && plan.inPlaceSteps.has(b.last));
  for (const [i, a] of plan.buffers.entries()) {
    for (const b of plan.buffers.slice(i + 1)) {
      if (a.tensors.length > 0 && b.tensors.length > 0 && a.first !== a.last && tiedAt(a, b)) continue;
      const liveTogether = a.first <= b.last && b.first <= a.last;
      const overlap = a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes;
      expect(liveTogether && overlap, `${label}: ${a.tensors} and ${b.tensors}`).toBe(false);
    }
    expect(a.offset + a.bytes, label).toBeLessThanOrEqual(plan.arenaBytes);
  }
  // Every activation that lives in the arena belongs to exactly one buffer.
  const inArena = [...plan.storage].filter(([, where]) => where.kind === 'arena').map(([name]) => name);
  expect(plan.buffers.flatMap((b) => b.tensors).sort(), label).toEqual(inArena.sort());
  expect(inArena.every((name) => graph.tensors.has(name)), label).toBe(true);
  // In-place and view nodes are disjoint: an in-place node still runs its kernel.
  expect([...plan.inPlaceSteps].filter((step) => plan.aliasedSteps.has(step)), label).toEqual([]);
}

describe('memory planner on random graphs', () => {
  for (const elementwise of [false, true]) {
    it(`keeps every tensor intact until its last read and stays within 5% of the lower bound (60 graphs${elementwise ? ', with elementwise ops' : ''})`, () => {
      const rng = seededRandom(4242);
      let atBound = 0;
      let inPlace = 0;
      let rowBlocks = 0;
      for (let trial = 0; trial < 60; trial++) {
        const { path, branchy } = randomGraph(rng, elementwise);
        // The placement against its bound, with no conv in place (--optimize time); with them
        // (balanced) the tied buffers need not reach the bound, but the arena is never larger.
        const compiled = compileModel({ modelPath: path, optimize: 'time' });
        const balanced = compileModel({ modelPath: path });
        checkPlan(balanced, `trial ${trial} (balanced)`);
        if (balanced.graph.nodes.some((n) => n.op === 'ResidualRows')) rowBlocks++;
        expect(balanced.plan.arenaBytes, `trial ${trial}`).toBeLessThanOrEqual(compiled.plan.arenaBytes);
        const { plan, graph } = compiled;
        checkPlan(compiled, `trial ${trial}`);
        if (branchy) expect(plan.arenaBytes, `trial ${trial}`).toBeLessThanOrEqual(1.05 * plan.lowerBoundBytes);
        else expect(plan.arenaBytes, `trial ${trial} (a chain)`).toBe(plan.lowerBoundBytes);
        const expected = expectedInPlace(graph, plan, ['QLinearAdd', 'QLinearMul', 'QLinearLookup']);
        const actual = graph.nodes.filter((n, step) => plan.inPlaceSteps.has(step) && ['QLinearAdd', 'QLinearMul', 'QLinearLookup'].includes(n.op)).map((n) => n.name);
        expect(actual.sort(), `trial ${trial}`).toEqual([...expected].sort());
        if (plan.arenaBytes === plan.lowerBoundBytes) atBound++;
        if (expected.size > 0) inPlace++;
      }
      // Measured, for the record: 60 of 60 at the bound in both sets (before issue 5's planner:
      // 52 of 60 without elementwise ops, 48 of 60 with them).
      console.log(`planner${elementwise ? ' (elementwise)' : ''}: arena at the lower bound on ${atBound} of 60, in place on ${inPlace}`);
      expect(inPlace).toBeGreaterThan(elementwise ? 40 : 20);
      // Residual blocks run row by row by default, and the simulation follows their order.
      expect(rowBlocks).toBeGreaterThan(5);
    });
  }
});

describe('memory planner on the test networks and example models', () => {
  const linear: NetworkName[] = ['kws_dscnn', 'mlp_autoencoder', 'mobilenet_stack'];
  for (const name of NETWORKS) {
    it(`${name}: ${linear.includes(name) ? 'arena equal to' : 'arena within 5% of'} the lower bound, both forms, int8 and uint8`, () => {
      for (const form of ['qop', 'qdq'] as const) {
        for (const act of ['int8', 'uint8'] as const) {
          const compiled = compileModel({ modelPath: buildNetwork(name, form, act) });
          const label = `${name} ${form} ${act}`;
          checkPlan(compiled, label);
          if (linear.includes(name)) expect(compiled.plan.arenaBytes, label).toBe(compiled.plan.lowerBoundBytes);
          else expect(compiled.plan.arenaBytes, label).toBeLessThanOrEqual(1.05 * compiled.plan.lowerBoundBytes);
        }
      }
    });
  }

  it('resnet_block: the residual add runs in place over its dying inputs (and the bound is the three 2048-byte maps of the block and a patch; by default the block row by row)', () => {
    const path = buildNetwork('resnet_block', 'qop', 'int8');
    const { graph, plan } = compileModel({ modelPath: path, optimize: 'time' });
    const add = graph.nodes.find((n) => n.op === 'QLinearAdd')!;
    expect(plan.inPlaceSteps.has(graph.nodes.indexOf(add))).toBe(true);
    expect(add.inputs.map((i) => plan.storage.get(i))).toContainEqual(plan.storage.get(add.outputs[0]!));
    // Hand derivation: the stem's output [1, 8, 16, 16] int8 is 2048 bytes and stays live across
    // the branch; while the second branch conv runs, its input and output (2048 each) are live
    // too, with its gathered 3x3x8 int16 patch (144 B): 3 x 2048 + 144 = 6288. The add, in
    // place, needs only 2 x 2048.
    expect(plan.lowerBoundBytes).toBe(6288);
    expect(plan.arenaBytes).toBe(6288);
    expect(plan.liveBytes[graph.nodes.indexOf(add)]).toBe(4096);
    // By default (balanced) the block runs row by row (ResidualRows) in place over the stem's
    // output (2048 B), with three rows of the first conv's output and one of the second's (16
    // pixels x 8 channels: 4 x 128 B) and a patch pair (144 B): 2,704 B.
    const balanced = compileModel({ modelPath: path });
    checkPlan(balanced, 'resnet_block balanced');
    expect(balanced.graph.nodes.map((n) => n.op)).toContain('ResidualRows');
    expect(balanced.plan.lowerBoundBytes).toBe(2048 + 4 * 128 + 144);
    expect(balanced.plan.arenaBytes).toBe(2048 + 4 * 128 + 144);
  });

  it('the example models: arena equal to the lower bound', () => {
    const models = readdirSync(join(SHARED, 'models')).filter((f) => f.endsWith('.onnx'));
    expect(models.length).toBeGreaterThan(0);
    for (const file of models) {
      const compiled = compileModel({ modelPath: join(SHARED, 'models', file) });
      checkPlan(compiled, file);
      expect(compiled.plan.arenaBytes, file).toBe(compiled.plan.lowerBoundBytes);
    }
  });

  it('a uint8 model converts its output in place in the output buffer, so the arena does not hold it', () => {
    const { graph, plan } = compileModel({ modelPath: buildNetwork('mlp_autoencoder', 'qop', 'uint8') });
    const convert = graph.nodes.at(-1)!;
    expect(convert.op).toBe('ConvertUint8');
    expect(plan.inPlaceSteps.has(graph.nodes.indexOf(convert))).toBe(true);
    expect(plan.storage.get(convert.inputs[0]!)).toEqual({ kind: 'output', index: 0 });
    // Hand derivation, bytes live per step: the uint8 input converted into the arena (its
    // pointer is const) 32; first layer 32 in + 16 out = 48; then 16 + 8 = 24; 8 + 16 = 24; the
    // last layer reads 16 and writes the output buffer directly: 16; the conversion in place: 0.
    expect(plan.liveBytes).toEqual([32, 48, 24, 24, 16, 0]);
  });
});

describe('memory planner with inputs and outputs in the arena (--io arena)', () => {
  it('keeps every tensor intact, holds the outputs to the end, and never needs more than the arena plus the API buffers (60 random graphs)', () => {
    const rng = seededRandom(1207);
    let reused = 0;
    for (let trial = 0; trial < 60; trial++) {
      const { path } = randomGraph(rng, true);
      const caller = compileModel({ modelPath: path });
      const arena = compileModel({ modelPath: path, io: 'arena' });
      const label = `trial ${trial}`;
      checkPlan(arena, label);
      const api = [...arena.graph.inputs, ...arena.graph.outputs];
      for (const name of api) expect(arena.plan.storage.get(name)?.kind, `${label}: ${name}`).toBe('arena');
      const apiBytes = [...new Set(api)].reduce((sum, name) => sum + alignUp(tensorBytes(tensorOf(arena.graph, name))), 0);
      expect(arena.plan.arenaBytes, label).toBeLessThanOrEqual(caller.plan.arenaBytes + apiBytes);
      if (arena.plan.arenaBytes < caller.plan.arenaBytes + apiBytes) reused++;
    }
    // The input dies after its first reader in most of these graphs; its bytes then serve later layers.
    expect(reused).toBeGreaterThan(30);
  });

  it('two inputs, two outputs: an output computed early keeps its bytes while the other is computed', () => {
    const compiled = compileModel({ modelPath: twoInTwoOut(), io: 'arena' });
    checkPlan(compiled, 'two in, two out');
    // One output is written before the last step, and the simulation above saw it intact at the end.
    const producers = compiled.graph.outputs.map((name) => compiled.graph.nodes.findIndex((n) => n.outputs.includes(name)));
    expect(Math.min(...producers)).toBeLessThan(compiled.graph.nodes.length - 1);
  });

  it("tiny_cnn: the arena holds conv 1's input, output and patch at once, and nothing more", () => {
    // No conv in place here (--optimize time): the derivation is of the layers apart.
    const caller = compileModel({ modelPath: join(SHARED, 'models', 'tiny_cnn_qop.onnx'), optimize: 'time' });
    const arena = compileModel({ modelPath: join(SHARED, 'models', 'tiny_cnn_qop.onnx'), io: 'arena', optimize: 'time' });
    checkPlan(arena, 'tiny_cnn');
    // Caller buffers: the 16x16x1 int8 input (256 B) and the 6 logits; the arena peaks at max pool 1,
    // which holds conv 1's 16x16x4 output (1,024 B) and its own 8x8x4 output (256 B): 1,280 B.
    expect(caller.plan.arenaBytes).toBe(1280);
    // In the arena, conv 1 runs with its input (256 B), its output (1,024 B) and its patch scratch
    // (24 B) live at once: 1,304 B, which is then the whole model RAM (vs 1,280 + 256 + 6 before).
    expect(arena.plan.lowerBoundBytes).toBe(256 + 1024 + 24);
    expect(arena.plan.arenaBytes).toBe(256 + 1024 + 24);
  });
});

describe('pointwise layers in place over an input of another size', () => {
  it('keep every byte a pixel reads until the kernel reads it, and lower the arena where they run (60 random chains, both io placements)', () => {
    const rng = seededRandom(77);
    let resized = 0;
    for (let trial = 0; trial < 60; trial++) {
      const path = randomPointwiseChain(rng);
      for (const io of ['caller', 'arena'] as const) {
        const compiled = compileModel({ modelPath: path, io });
        const label = `trial ${trial} (${io})`;
        checkPlan(compiled, label);
        const { graph, plan } = compiled;
        const steps = graph.nodes.flatMap((n, step) =>
          plan.inPlaceSteps.has(step) && n.op === 'QLinearConv' && tensorBytes(tensorOf(graph, n.inputs[0]!)) !== tensorBytes(tensorOf(graph, n.outputs[0]!)) ? [step] : [],
        );
        if (steps.length > 0) resized++;
        // Only where it pays: the arena is smaller than with every layer apart.
        if (steps.length > 0) expect(plan.arenaBytes, label).toBeLessThan(compileModel({ modelPath: path, io, optimize: 'time' }).plan.arenaBytes);
      }
    }
    expect(resized).toBeGreaterThan(10);
  });
});

describe('tg_conv_1x1_in_place: its pixel order against the offsets the planner gives', () => {
  /** Forward, pixel by pixel: read pixel q's in_c bytes at delta + q in_c, then write out_c bytes at q out_c. */
  const safe = (pixels: number, inC: number, outC: number, delta: number) => {
    const owner = new Map<number, number>();
    for (let q = 0; q < pixels; q++) for (let b = 0; b < inC; b++) owner.set(delta + q * inC + b, q);
    for (let q = 0; q < pixels; q++) {
      for (let b = 0; b < inC; b++) if (owner.get(delta + q * inC + b) !== q) return false;
      for (let b = 0; b < outC; b++) owner.set(q * outC + b, -1);
    }
    return true;
  };
  it('is safe for every shape with the input at the output plus the growth rounded up, and the aligned buffer sizes would not do', () => {
    let unsafeWithBufferSizes = 0;
    for (let pixels = 1; pixels <= 40; pixels++) {
      for (let inC = 1; inC <= 12; inC++) {
        for (let outC = 1; outC <= 12; outC++) {
          const delta = alignUp(Math.max(0, pixels * outC - pixels * inC));
          expect(safe(pixels, inC, outC, delta), `${pixels} pixels, ${inC} -> ${outC}`).toBe(true);
          if (!safe(pixels, inC, outC, Math.max(0, alignUp(pixels * outC) - alignUp(pixels * inC)))) unsafeWithBufferSizes++;
        }
      }
    }
    expect(unsafeWithBufferSizes).toBeGreaterThan(0);
  });
});

describe('depthwise and dense layers in place, row by row through a ring', () => {
  it('keep every input row until its last read and never overfill their ring (60 random chains, both io placements, strides 1 and 2)', () => {
    const rng = seededRandom(91);
    const seen = { stride1: 0, stride2: 0 };
    for (let trial = 0; trial < 60; trial++) {
      const path = randomPointwiseChain(rng);
      for (const io of ['caller', 'arena'] as const) {
        const compiled = compileModel({ modelPath: path, io });
        checkPlan(compiled, `trial ${trial} (${io})`);
        const { graph, plan } = compiled;
        graph.nodes.forEach((n, step) => {
          if (!plan.inPlaceSteps.has(step) || n.op !== 'QLinearConv' || (n.attrs.group as number) === 1) return;
          if ((n.attrs.strides as number[])[0] === 1) seen.stride1++;
          else seen.stride2++;
        });
      }
    }
    expect(seen.stride1).toBeGreaterThan(10);
    expect(seen.stride2).toBeGreaterThan(1);
  });

  it('a padded 1x1 conv runs the dense kernel in place, and the simulation follows that kernel (found by review)', () => {
    const compiled = compileModel({ modelPath: paddedPointwise(), optimize: 'ram' });
    checkPlan(compiled, 'padded 1x1');
    const { graph, plan } = compiled;
    const step = graph.nodes.findIndex((n) => n.op === 'QLinearConv' && (n.attrs.kernel_shape as number[])[0] === 1);
    expect(plan.inPlaceSteps.has(step)).toBe(true);
  });

  it('size the ring by hand: 3x3 stride 1 pad 1 waits two rows, 3x3 stride 2 with no top pad one, 5x5 stride 1 pad 2 three', () => {
    const g = (kH: number, strideH: number, padTop: number, inH: number, outH: number) => ({ batch: 1, inH, inW: 4, inC: 8, outH, outW: inH === outH ? 4 : 2, outC: 8, kH, kW: kH, strideH, strideW: strideH, dilH: 1, dilW: 1, padTop, padLeft: padTop });
    // Stride 1, pad 1: after output row y, rows >= y are still read (row y + 1 reads y .. y + 2),
    // so row y - 1 goes out and rows y - 1 and y waited together.
    expect(ringRows(g(3, 1, 1, 6, 6), 0)).toBe(2);
    // Stride 2, pad 0, outputs half as wide: output row y (16 B at 16y) lies below input row
    // 2y + 2 (32 B a row, so at 64y + 64), the first a later row reads, as soon as it is computed.
    expect(ringRows(g(3, 2, 0, 6, 3), 0)).toBe(1);
    // 5x5 stride 1 pad 2: after row y, row y + 1 reads from y - 1, so rows y - 2 .. y waited.
    expect(ringRows(g(5, 1, 2, 6, 6), 0)).toBe(3);
  });
});

describe('--optimize: what the planner trades for RAM', () => {
  it('time runs nothing in place over an input of another size; ram gives the least arena; balanced keeps its estimated copies within 5% (60 random chains)', () => {
    const rng = seededRandom(123);
    let balancedGaveUp = 0;
    let ramWon = 0;
    for (let trial = 0; trial < 60; trial++) {
      const path = randomPointwiseChain(rng);
      const [time, balanced, ram] = (['time', 'balanced', 'ram'] as const).map((optimize) => compileModel({ modelPath: path, optimize }));
      for (const c of [time, balanced, ram]) checkPlan(c!, `trial ${trial} (${c!.optimize})`);
      // With time, every in-place step is one of equal sizes (no kernel copies), and its arena is
      // the bound with none of the others.
      const resized = (c: Compiled) =>
        c.graph.nodes.filter((n, step) => c.plan.inPlaceSteps.has(step) && n.op === 'QLinearConv').length;
      expect(resized(time!), `trial ${trial}`).toBe(0);
      expect(time!.plan.extraInstructions).toBe(0);
      expect(ram!.plan.arenaBytes).toBeLessThanOrEqual(balanced!.plan.arenaBytes);
      expect(balanced!.plan.arenaBytes).toBeLessThanOrEqual(time!.plan.arenaBytes);
      // One instruction per MAC is the planner's estimate of the model.
      const macs = time!.graph.nodes.reduce((sum, n) => sum + (n.op === 'QLinearConv' ? convMacsByHand(time!, n) : 0), 0);
      expect(balanced!.plan.extraInstructions, `trial ${trial}`).toBeLessThanOrEqual(0.05 * macs);
      if (ram!.plan.arenaBytes < time!.plan.arenaBytes) ramWon++;
      if (balanced!.plan.arenaBytes > ram!.plan.arenaBytes) balancedGaveUp++;
    }
    expect(ramWon).toBeGreaterThan(10);
    expect(balancedGaveUp).toBeGreaterThan(0);
  });
});

/** A convolution's MACs from its NHWC output shape and weight shape: each output value takes one weight row. */
function convMacsByHand(compiled: Compiled, node: Compiled['graph']['nodes'][number]): number {
  const out = tensorOf(compiled.graph, node.outputs[0]!).shape;
  const w = tensorOf(compiled.graph, node.inputs[1]!).shape;
  const depthwise = (node.attrs.group as number) > 1;
  // OHWI [out_c][k_h][k_w][in_c / group], or depthwise [1][k_h][k_w][out_c].
  const perOutput = depthwise ? w[1]! * w[2]! : w[1]! * w[2]! * w[3]!;
  return out.reduce((a, b) => a * b, 1) * perOutput;
}
