/**
 * The scheduler: on a graph whose given order is worse, it runs the branch with the big
 * intermediate first and lowers the peak to the hand-derived optimum; where the order does not
 * matter it keeps the given one; and the reordered C computes the reference's bytes on the host.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/pipeline.ts';
import { loadOnnxBytes } from '../../src/frontend/onnx/load.ts';
import { readModelFile } from '../../src/frontend/read-model.ts';
import { PASSES } from '../../src/passes/index.ts';
import { planMemory, type MemoryPlan } from '../../src/passes/plan-memory.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { hostDiff } from '../helpers/host-diff.ts';

const loadOnnx = (path: string) => loadOnnxBytes(readModelFile(path), path);

/** Two branches off a [1, 1, 8, 8] int8 input, concatenated: the given order runs the small one first. */
function branchesModel(wideChannels: number): string {
  const g = new GraphBuilder();
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  const x = g.input('x', 'int8', [1, 1, 8, 8]);
  let seed = 1;
  const conv = (input: string, cin: number, cout: number) => {
    const w = g.constant('int8', [cout, cin, 3, 3], Array.from({ length: cout * cin * 9 }, () => ((seed = (seed * 37 + 11) % 101) - 50)));
    return g.node('QLinearConv', [input, s(0.05), z(0), w, s(0.01), z(0), s(0.05), z(0)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })[0]!;
  };
  const small = conv(x, 1, 1);
  const wide = conv(x, 1, wideChannels);
  const narrow = conv(wide, wideChannels, 1);
  const y = g.node('QLinearConcat', [s(0.05), z(0), narrow, s(0.05), z(0), small, s(0.05), z(0)], { axis: 1 }, { domain: 'com.microsoft' })[0]!;
  g.output(g.rename(y, 'y'), 'int8', []);
  return g.save();
}

/** The plan of the model in its given order, no conv in place: every pass but the scheduler. */
function planInGivenOrder(modelPath: string): MemoryPlan {
  let graph = loadOnnx(modelPath).graph;
  for (const pass of PASSES) if (pass.name !== 'schedule') graph = pass.run(graph, { rounding: 'onnx', optimize: 'time' });
  return planMemory(graph, 'caller', 'time');
}

const convOutputs = (graph: { nodes: { op: string; outputs: string[] }[] }) => graph.nodes.filter((n) => n.op === 'QLinearConv').map((n) => n.outputs[0]!);

describe('scheduling for memory', () => {
  it('runs the branch with the big intermediate first when that lowers the peak', () => {
    const path = branchesModel(8);
    // Hand derivation (int8, 8 x 8 maps; the 1-channel input's NHWC transpose is a view of the
    // input pointer; the 2-channel result is transposed back into the output pointer):
    // small 64 B, wide 512 B, narrow 64 B, concat 128 B; while a conv runs, its gathered 3x3 patch
    // of int16 is scratch in the arena: 18 B (aligned to 24) for a 1-channel input, 144 B for 8.
    // Given order small, wide, narrow, concat, transpose: 64+24, 64+512+24, 64+512+64+144,
    //   64+64+128, 128 → peak 784.
    // Wide branch first (wide, narrow, small, ...): 512+24, 512+64+144, 64+64+24, 64+64+128, 128
    //   → peak 720.
    const given = planInGivenOrder(path);
    expect(given.liveBytes).toEqual([0, 88, 600, 784, 256, 128]);
    expect(given.lowerBoundBytes).toBe(784);

    // The derivation has every conv apart (--optimize time).
    const { graph, plan } = compileModel({ modelPath: path, optimize: 'time' });
    // The frontend names each conv's NHWC output already.
    const [small, wide, narrow] = convOutputs(loadOnnx(path).graph);
    expect(convOutputs(graph)).toEqual([wide, narrow, small]);
    expect(plan.liveBytes).toEqual([0, 536, 720, 152, 256, 128]);
    expect(plan.lowerBoundBytes).toBe(720);
    expect(plan.arenaBytes).toBe(720);
  });

  it('keeps the given order where it is already best', () => {
    // With a 1-channel "wide" branch both orders peak at 64 + 64 + 64 (+ 24 of patch) = 216: no reason to move.
    const path = branchesModel(1);
    // The model's own nodes (the frontend's layout Transposes around the convs cancel).
    const given = loadOnnx(path).graph.nodes.filter((n) => n.op !== 'Transpose').map((n) => n.name);
    const scheduled = compileModel({ modelPath: path }).graph.nodes.map((n) => n.name).filter((name) => given.includes(name));
    expect(scheduled).toEqual(given);
  });

  it('the reordered model computes the reference bytes on the host (ASan/UBSan), both rounding modes', async () => {
    const path = branchesModel(8);
    for (const rounding of ['onnx', 'tflite'] as const) {
      const diff = await hostDiff(path, rounding, 6, 3);
      expect(diff.bytes).toBeGreaterThan(0);
      expect(diff.mismatches, `${rounding}: ${JSON.stringify(diff.first)}`).toBe(0);
    }
  }, 120_000);
});
