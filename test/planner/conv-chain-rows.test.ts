/**
 * ConvChainRows (src/ops/conv-chain-rows, made by src/passes/line-buffer.ts): the first layers
 * of a chain of convolutions run row by row through windows of rows, in place over the chain's
 * input where no row lands on input bytes still to be read. Checked on the MLPerf Tiny VWW shape
 * (its arena hand-derived) and on random MobileNet-like chains: the plan's byte-level simulation
 * (check-plan.ts follows the rows the chain reads and writes), the fused step's reference against
 * the unfused layers', and the host C under ASan/UBSan against the reference. Under QEMU:
 * in-place-conv-qemu.test.ts and tflm-conformance-qemu.test.ts (person_detect, TFLM's bytes).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel, type Compiled } from '../../src/pipeline.ts';
import { seededRandom } from '../../src/util/random.ts';
import { writeMlperfTinyNetwork } from '../helpers/tflite-networks.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { expectSoundPlan, simulatePlan } from './check-plan.ts';
import { randomPointwiseChain } from './random-graphs.ts';
import { convChain, expectSameReference } from './conv-rows-models.ts';
import type { Node } from '../../src/ir/graph.ts';
import { convVariant } from '../../src/ops/qlinear-conv/definition.ts';

const chainSteps = (c: Compiled) => c.graph.nodes.flatMap((n, step) => (n.op === 'ConvChainRows' ? [{ node: n, inPlace: c.plan.inPlaceSteps.has(step) }] : []));

/** Random MobileNet-like chains (3x3, depthwise and pointwise convs) whose first layers the pass chains. */
function chainedModels(count: number): string[] {
  const rng = seededRandom(77);
  const found: string[] = [];
  for (let trial = 0; trial < 200 && found.length < count; trial++) {
    const path = randomPointwiseChain(rng);
    if (chainSteps(compileModel({ modelPath: path, io: 'arena' })).length > 0) found.push(path);
  }
  return found;
}
const models = chainedModels(24);

/** What a chain's layers exercise: its first layer's window, and the kinds of the later ones. */
function chainKinds(c: Compiled): Set<string> {
  const kinds = new Set<string>();
  for (const { node } of chainSteps(c)) {
    const layers = JSON.parse(node.attrs.layers as string) as Node[];
    const [first] = layers;
    const [kH] = first!.attrs.kernel_shape as number[];
    const [strideH] = first!.attrs.strides as number[];
    if ((first!.attrs.dilations as number[])[0]! > 1) kinds.add('dilated first');
    if (strideH! > kH!) kinds.add('first stride > window');
    for (const layer of layers.slice(1)) kinds.add(`later ${convVariant(layer, c.graph)}`);
  }
  return kinds;
}

/**
 * Random TFLite chains (conv-rows-models.ts convChain) with at least three layers in a chain, each
 * adding a kind of window not yet covered, until every kind is. A generated 1x1 layer over one
 * channel can draw a zero weight, whose calibrated scale is infinite: the importer refuses that
 * model, and it is skipped.
 */
function tfliteChains(): { paths: string[]; kinds: Set<string> } {
  const paths: string[] = [];
  const kinds = new Set<string>();
  for (let seed = 1; seed < 300 && kinds.size < 5; seed++) {
    let compiled: Compiled;
    try {
      compiled = compileModel({ modelPath: convChain(seed), io: 'arena' });
    } catch {
      continue;
    }
    const found = chainKinds(compiled);
    const chain = chainSteps(compiled)[0];
    if (!chain || chain.node.name.split('+').length < 3 || [...found].every((k) => kinds.has(k))) continue;
    paths.push(compiled.modelPath);
    for (const k of found) kinds.add(k);
  }
  return { paths, kinds };
}

describe('ConvChainRows', () => {
  it('VWW (MobileNet v1 0.25, 96 x 96 x 3): its first four layers run as one chain, in place over the input, and the arena is the input and the chain\'s windows and patch (31,544 B)', () => {
    const path = writeMlperfTinyNetwork('vww', mkdtempSync(join(tmpdir(), 'tinygen-vww-')));
    const compiled = compileModel({ modelPath: path, io: 'arena' });
    const [chain] = chainSteps(compiled);
    expect(chain?.node.name.split('+')).toHaveLength(4);
    expect(chain?.inPlace).toBe(true);
    // Layers: 3x3 s2 conv to 48 x 48 x 8, 3x3 depthwise, 1x1 to 48 x 48 x 16 (36,864 B: the map
    // that set the peak), 3x3 depthwise s2 to 24 x 24 x 16 (9,216 B, written over the 27,648 B
    // input). Windows: 3 rows of 48 x 8 (1,152 B) for the depthwise, 1 row (384 B) for the 1x1, 3
    // rows of 48 x 16 (2,304 B) for the last; the first conv's patch pair 2 x 3 x 3 x 3 = 54 B:
    // 3,894 B, 3,896 aligned.
    expect(compiled.plan.arenaBytes).toBe(27648 + 3896);
    expect(chainSteps(compileModel({ modelPath: path, io: 'arena', optimize: 'time' }))).toEqual([]);
  });

  it('random chains: found in place and not, the plan simulation passes, and the step computes the unfused layers\' bytes', () => {
    expect(models.length).toBe(24);
    let inPlace = 0;
    for (const [i, path] of models.entries()) {
      for (const io of ['caller', 'arena'] as const) {
        const fused = compileModel({ modelPath: path, io });
        const unfused = compileModel({ modelPath: path, io, optimize: 'time' });
        expectSoundPlan(fused, `model ${i} ${io}`);
        expect(fused.plan.arenaBytes, `model ${i} ${io}`).toBeLessThanOrEqual(unfused.plan.arenaBytes);
        inPlace += chainSteps(fused).filter((c) => c.inPlace).length;
        expectSameReference(fused, unfused, i + 5, 3, `model ${i}`);
      }
    }
    // Measured, for the record: see the console line.
    console.log(`conv chains: ${inPlace} of the ${models.length} arena-placed chains in place`);
    expect(inPlace).toBeGreaterThan(5);
  });

  it('random TFLite chains with nonzero zero points, dilated and widely strided first layers, and depthwise, dense and pointwise later layers: the host C (ASan/UBSan) equals the reference and the unfused layers\' bytes', async () => {
    const { paths, kinds } = tfliteChains();
    expect([...kinds].sort()).toEqual(['dilated first', 'first stride > window', 'later 1x1', 'later dense', 'later depthwise']);
    for (const [i, path] of paths.entries()) {
      const fused = compileModel({ modelPath: path, io: 'arena' });
      const unfused = compileModel({ modelPath: path, io: 'arena', optimize: 'time' });
      expect(simulatePlan(fused.graph, fused.plan), `model ${i}`).toEqual([]);
      expectSameReference(fused, unfused, i + 9, 1, `model ${i}`);
      for (const [rounding, io] of [['tflite', 'arena'], ['onnx', 'caller']] as const) {
        const diff = await hostDiff(path, rounding, 3, i + 1, { io });
        expect(diff.mismatches, `model ${i} ${rounding} ${io}: ${JSON.stringify(diff.first)}`).toBe(0);
      }
    }
  });

  it('random ONNX chains (through the NHWC transposes): the host C (ASan/UBSan) equals the reference, in both roundings and io placements', async () => {
    for (const [i, path] of models.slice(0, 2).entries()) {
      for (const [rounding, io] of [['tflite', 'arena'], ['onnx', 'caller']] as const) {
        const diff = await hostDiff(path, rounding, 4, i + 1, { io });
        expect(diff.mismatches, `model ${i} ${rounding} ${io}: ${JSON.stringify(diff.first)}`).toBe(0);
      }
    }
  });
});
