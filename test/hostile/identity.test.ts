/**
 * Defects that gave wrong firmware from a model that compiled: the memory plan keyed by node
 * name (two nodes named alike shared one scratch entry) and zero points outside their tensor's
 * type. Each case is checked on the host C (ASan/UBSan) against the reference.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../../src/pipeline.ts';
import { tinygen } from '../helpers/cli.ts';
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

describe('zero points lie in their tensor type range', () => {
  it("QLinearConv's input zero point stored as INT32 100000: one line naming the tensor, exit 2, no output", async () => {
    const path = mutateOnnx(join(MODELS, 'tiny_cnn_qop.onnx'), (model) => {
      const graph = model.graph!;
      const conv = graph.node!.find((n) => n.opType === 'QLinearConv')!;
      const zeroPoint = graph.initializer!.find((t) => t.name === conv.input![2])!;
      Object.assign(zeroPoint, { dataType: 6 /* INT32 */, rawData: new Uint8Array(new Int32Array([100000]).buffer), int32Data: [] });
    });
    const out = join(tmpdir(), `tinygen-zp-${process.pid}`);
    const result = await tinygen(['compile', path, '-o', out]);
    expect(result.exitCode).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/tiny_cnn_qop\.onnx: tensor '.*' \(u?int8\): zero point 100000 is outside u?int8's range/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('names from the file are safe in C', () => {
  it('input and output names holding bidi overrides, zero-width and line-separator characters compile under -Werror and equal the reference', async () => {
    const path = mutateOnnx(join(MODELS, 'tiny_cnn_qop.onnx'), (model) => {
      const graph = model.graph!;
      const rename = (from: string, to: string) => {
        for (const node of graph.node!) {
          node.input = node.input!.map((n) => (n === from ? to : n));
          node.output = node.output!.map((n) => (n === from ? to : n));
        }
      };
      const [input, output] = [graph.input![0]!, graph.output![0]!];
      const newInput = 'in\u202eput\u2066x\u200b';
      const newOutput = 'out\u2028put\u061c';
      rename(input.name!, newInput);
      rename(output.name!, newOutput);
      input.name = newInput;
      output.name = newOutput;
    });
    // hostDiff builds the generated C with -Wall -Wextra -Werror (gcc's -Wbidi-chars is on by default).
    const diff = await hostDiff(path, 'onnx', 2);
    expect(diff.mismatches).toBe(0);
  });
});
