/**
 * The four TinyML networks of issue 6 as int8 TFLite files (DS-CNN keyword spotter, ResNet-8,
 * MobileNetV1-style stack, FC autoencoder with float I/O): `tinygen validate` is bit-exact under
 * QEMU, and `tinygen report` gives an arena at its lower bound and weights that match the file.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import { TfliteModel } from '../../src/frontend/tflite/schema.ts';
import { tinygen } from '../helpers/cli.ts';
import { writeTfliteTestNetwork, type TfliteTestNetwork } from '../helpers/tflite-networks.ts';
import { BuiltinOperator as Op } from '../../src/frontend/tflite/schema.ts';
import { LINE_BUFFERED_OPS } from '../../src/passes/line-buffer.ts';

const INPUTS = 8;

interface NetworkCase {
  name: TfliteTestNetwork;
  boards: string[];
  /** Output bytes per inference. */
  outputBytes: number;
  /** Allowed arena / lower bound: 1 for a chain, where one tensor dies as the next is born. */
  arenaSlack: number;
}

const CASES: NetworkCase[] = [
  { name: 'kws_dscnn', boards: ['mps2-an386', 'mps3-an547'], outputBytes: 12, arenaSlack: 1 },
  // The shortcut stays live across a block's two convs, which a planner may not pack perfectly.
  { name: 'resnet8', boards: ['mps2-an386', 'mps3-an547'], outputBytes: 10, arenaSlack: 1.05 },
  { name: 'mobilenet_v1_stack', boards: ['mps2-an386'], outputBytes: 10, arenaSlack: 1 },
  { name: 'fc_autoencoder', boards: ['mps2-an386', 'mps3-an547'], outputBytes: 64 * 4, arenaSlack: 1 },
];

const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-networks-'));

/** Counted from the file, not the compiler: the buffers of the weight and bias inputs of every conv and FC, and the output channels they feed. */
function weightedLayers(path: string): { weightAndBiasBytes: number; outputChannels: number; operators: number } {
  const model = TfliteModel.fromBytes(readFileSync(path));
  const graph = model.subgraphs[0]!;
  const weighted = new Set<number>([Op.CONV_2D, Op.DEPTHWISE_CONV_2D, Op.FULLY_CONNECTED]);
  let weightAndBiasBytes = 0;
  let outputChannels = 0;
  for (const op of graph.operators) {
    if (!weighted.has(model.operatorCodes[op.opcodeIndex]!.code)) continue;
    for (const index of op.inputs.slice(1, 3)) if (index >= 0) weightAndBiasBytes += model.buffers[graph.tensors[index]!.buffer]!.data.length;
    outputChannels += graph.tensors[op.outputs[0]!]!.shape.at(-1)!;
  }
  return { weightAndBiasBytes, outputChannels, operators: graph.operators.length };
}

describe.concurrent.each(CASES)('TFLite $name', ({ name, boards, outputBytes, arenaSlack }) => {
  const path = writeTfliteTestNetwork(name, dir);

  it('has scales that keep the activations unsaturated and the outputs varied', () => {
    const { graph } = compileModel({ modelPath: path });
    const random = seededRandom(3);
    const outputValues = new Set<number>();
    const outputRecords = new Set<string>();
    for (let i = 0; i < INPUTS; i++) {
      const { outputs, values } = runReference(graph, randomInputs(graph, random));
      const output = Array.from(outputs[0]!.data as ArrayLike<number>);
      output.forEach((v) => outputValues.add(v));
      outputRecords.add(output.join());
      for (const [tensor, value] of values) {
        if (value.dtype !== 'int8') continue;
        // ReLU outputs sit at -128 for every negative input, so only the top is saturation.
        const saturated = (value.data as Int8Array).filter((q) => q === 127).length;
        expect(saturated / value.data.length, `${tensor} saturates`).toBeLessThan(0.02);
      }
    }
    expect(outputRecords.size).toBe(INPUTS);
    expect(outputValues.size).toBeGreaterThanOrEqual(16);
  });

  it(`validate: 0 mismatches on ${boards.join(' and ')} in tflite rounding`, async () => {
    const result = await tinygen(['validate', path, ...boards.flatMap((b) => ['--board', b]), '--inputs', String(INPUTS), '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { cells: { board: string; rounding: string; passed: boolean; inputs: number; bytesCompared: number; mismatchCount: number }[] };
    expect(report.cells.map((c) => c.board).sort()).toEqual([...boards].sort());
    for (const cell of report.cells) expect(cell).toMatchObject({ rounding: 'tflite', passed: true, inputs: INPUTS, bytesCompared: INPUTS * outputBytes, mismatchCount: 0 });
  }, 300_000);

  // Steps that run layers row by row (residual blocks, conv chains) in the other rounding, with the
  // inputs in the arena, where in-place chains write over the network's input.
  const rowByRow = compileModel({ modelPath: path, io: 'arena' }).graph.nodes.filter((n) => LINE_BUFFERED_OPS.includes(n.op)).map((n) => n.op);
  it.runIf(rowByRow.length > 0)(`validate: 0 mismatches on mps3-an547 in onnx rounding with --io arena (${rowByRow.join(', ')})`, async () => {
    const result = await tinygen(['validate', path, '--board', 'mps3-an547', '--rounding', 'onnx', '--io', 'arena', '--inputs', String(INPUTS), '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { cells: { rounding: string; passed: boolean; mismatchCount: number }[] };
    expect(report.cells).toHaveLength(1);
    expect(report.cells[0]).toMatchObject({ rounding: 'onnx', passed: true, mismatchCount: 0 });
  }, 300_000);

  it(`report: arena within ${arenaSlack} x its lower bound, weights as in the file, flash above them`, async () => {
    const result = await tinygen(['report', path, '--board', 'mps2-an386', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { arenaBytes: number; lowerBoundBytes: number; weightBytes: number; flashBytes: number };
    expect(report.lowerBoundBytes).toBeGreaterThan(0);
    expect(report.arenaBytes).toBeLessThanOrEqual(Math.floor(arenaSlack * report.lowerBoundBytes));
    if (arenaSlack === 1) expect(report.arenaBytes).toBe(report.lowerBoundBytes);

    // The compiler may reorder weights and fold zero points into biases, but not change their
    // byte count; what it adds are requantization tables, at most an int32 multiplier, the int32
    // high word of a rounding offset and two int8 shifts per output channel (10 B), a depthwise
    // layer's second bias (4 B), and a few bytes of constants for other layers (pools, QUANTIZE).
    const file = weightedLayers(path);
    expect(report.weightBytes).toBeGreaterThanOrEqual(file.weightAndBiasBytes);
    expect(report.weightBytes - file.weightAndBiasBytes).toBeLessThanOrEqual(14 * file.outputChannels + 8 * file.operators);
    expect(report.flashBytes).toBeGreaterThan(report.weightBytes); // the kernels' code comes on top
  }, 300_000);
});
