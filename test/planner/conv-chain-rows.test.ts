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
import { runReference } from '../../src/reference/interpreter.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { writeMlperfTinyNetwork } from '../helpers/tflite-networks.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { liveBytesFromTensors, simulatePlan } from './check-plan.ts';
import { randomPointwiseChain } from './random-graphs.ts';

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
        expect(simulatePlan(fused.graph, fused.plan), `model ${i} ${io}`).toEqual([]);
        expect(fused.plan.liveBytes, `model ${i} ${io}`).toEqual(liveBytesFromTensors(fused.graph, fused.plan, io));
        expect(fused.plan.arenaBytes, `model ${i} ${io}`).toBeLessThanOrEqual(unfused.plan.arenaBytes);
        inPlace += chainSteps(fused).filter((c) => c.inPlace).length;
        const random = seededRandom(i + 5);
        for (let run = 0; run < 3; run++) {
          const inputs = randomInputs(fused.graph, random);
          expect(runReference(fused.graph, inputs).outputs, `model ${i} run ${run}`).toEqual(runReference(unfused.graph, inputs).outputs);
        }
      }
    }
    // Measured, for the record: see the console line.
    console.log(`conv chains: ${inPlace} of the ${models.length} arena-placed chains in place`);
    expect(inPlace).toBeGreaterThan(5);
  });

  it('random chains: the host C (ASan/UBSan) equals the reference, in both roundings and io placements', async () => {
    for (const [i, path] of models.slice(0, 4).entries()) {
      for (const [rounding, io] of [['tflite', 'arena'], ['onnx', 'caller']] as const) {
        const diff = await hostDiff(path, rounding, 4, i + 1, { io });
        expect(diff.mismatches, `model ${i} ${rounding} ${io}: ${JSON.stringify(diff.first)}`).toBe(0);
      }
    }
  });
});
