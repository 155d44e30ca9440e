/**
 * Defects that gave wrong firmware from a model that compiled: the memory plan keyed by node
 * name (two nodes named alike shared one scratch entry) and zero points outside their tensor's
 * type. Each case is checked on the host C (ASan/UBSan) against the reference.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { compileModel } from '../../src/pipeline.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { MODELS } from '../helpers/paths.ts';
import { simulatePlan } from '../planner/check-plan.ts';
import { mutateOnnx } from './mutated-models.ts';

describe('nodes are told apart by identity, not by name', () => {
  it('tiny_cnn with every node named alike: the plan is sound and the C equals the reference', async () => {
    const path = mutateOnnx(join(MODELS, 'tiny_cnn_qop.onnx'), (model) => {
      for (const node of model.graph!.node!) node.name = 'same';
    });
    const compiled = compileModel({ modelPath: path });
    // Both convs ask for scratch space; each must get its own, apart from its own output.
    expect(compiled.plan.buffers.filter((b) => b.scratchStep !== undefined).length).toBeGreaterThanOrEqual(2);
    expect(simulatePlan(compiled.graph, compiled.plan)).toEqual([]);
    for (const rounding of ['onnx', 'tflite'] as const) {
      const diff = await hostDiff(path, rounding, 4);
      expect(diff.mismatches, rounding).toBe(0);
    }
  });
});
