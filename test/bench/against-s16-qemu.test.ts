/**
 * tinygen bench --against cmsis-nn on 16x8 layers: a SEANet CONV_2D (int16 activations, int8
 * weights, int64 bias) runs with arm_convolve_wrapper_s16 beside tinygen's Conv16x8, and
 * CMSIS-NN's bytes equal tinygen's reference; on a network with one layer of each mapped kind,
 * the s16 conv, depthwise (fast and general paths) and fully connected kernels match too, on the
 * Cortex-M4F (DSP) and the Cortex-M55 (MVE), and a deliberately wrong multiplier does not.
 * Figures are checked for presence only: performance is measured, not asserted.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinygen } from '../helpers/cli.ts';
import { SHARED } from '../helpers/paths.ts';
import type { BenchReport } from '../../src/bench/bench.ts';
import { compileModel, generate } from '../../src/pipeline.ts';
import { loadBoard } from '../../src/boards/board.ts';
import { measureYardstick } from '../../src/bench/yardstick/against.ts';
import { runYardstick } from '../../src/bench/yardstick/firmware.ts';
import { requireCmsisNn } from '../../src/bench/yardstick/cmsis-nn-library.ts';
import type { Conv16Call } from '../../src/bench/yardstick/map-layers.ts';
import { s16Network, S16_NETWORK_KERNELS } from './s16-network.ts';

const SEANET_CONV = join(SHARED, 'conformance', 'tflm-seanet', 'conv', 'conv1.tflite');
const dir = mkdtempSync(join(tmpdir(), 'tinygen-against-s16-'));
const NETWORK = join(dir, 's16_network.tflite');
writeFileSync(NETWORK, s16Network());

describe.concurrent('tinygen bench --against cmsis-nn on 16x8 layers', () => {
  it("runs a SEANet 16x8 CONV_2D with arm_convolve_wrapper_s16, bit-exact on both sides, with both figures", async () => {
    const cli = await tinygen(['bench', SEANET_CONV, '--board', 'mps2-an386', '--against', 'cmsis-nn', '--json']);
    expect(cli.stderr).toBe('');
    expect(cli.exitCode).toBe(0);
    const report = JSON.parse(cli.stdout) as BenchReport;
    expect(report.bitExact).toBe(true);
    const a = report.against!;
    expect(a.failure).toBeUndefined();
    expect(a.layers).toHaveLength(1);
    const [layer] = a.layers;
    expect(layer).toMatchObject({ op: 'Conv16x8', kind: 'conv 16x8', cmsisNnFunction: 'arm_convolve_wrapper_s16', matchesReference: true });
    expect(a.yardstickMatchesReference).toBe(true);
    // Both figures are there: tinygen's is bench's own, CMSIS-NN's whole SysTick ticks of 40 instructions.
    expect(layer!.tinygenInstructions).toBe(report.layers[0]!.instructions);
    expect(layer!.tinygenInstructions).toBeGreaterThan(layer!.macs);
    expect(layer!.cmsisNnInstructions! % 40).toBe(0);
    expect(layer!.cmsisNnInstructions!).toBeGreaterThan(layer!.macs / 4);
    expect(layer!.ratio).toBeCloseTo(layer!.tinygenInstructions / layer!.cmsisNnInstructions!, 10);
    expect(a.total).toMatchObject({ layers: 1, tinygenInstructions: layer!.tinygenInstructions, cmsisNnInstructions: layer!.cmsisNnInstructions });
    expect(a.byKind.map((k) => k.kind)).toEqual(['conv 16x8']);
    expect(a.code.cmsisNnBytes).toBeGreaterThan(500);
  });

  for (const boardId of ['mps2-an386', 'mps3-an547']) {
    it(`runs each s16 kernel bit-exact against the reference on ${boardId}, and sees a wrong multiplier`, async () => {
      const board = loadBoard(boardId);
      const cmsisRoot = requireCmsisNn();
      const compiled = compileModel({ modelPath: NETWORK, rounding: 'tflite', lineBuffer: false });
      const runs = generate(compiled).layers.map((l) => l.runs);
      const workDir = join(dir, boardId);
      const measured = await measureYardstick({ compiled, runs, board, cmsisRoot, seed: 5, workDir: join(workDir, 'right'), timeoutMs: 120_000 });
      expect(measured.run.failure).toBeUndefined();
      expect(measured.plan.mapped.map((l) => l.call.kernel)).toEqual(S16_NETWORK_KERNELS.filter((k) => k !== null));
      const slice = (outputs: Uint8Array, i: number) => {
        const s = measured.layout.slots[i]!.output;
        return outputs.subarray(s.offset, s.offset + s.bytes);
      };
      measured.plan.mapped.forEach((l, i) => {
        const got = slice(measured.run.outputs, i);
        expect([...got], l.node).toEqual([...measured.expected[i]!]);
        // Not a vacuous match (all saturated, or all zero).
        const values = new Int16Array(got.buffer, got.byteOffset, got.length / 2);
        expect(new Set(values).size, l.node).toBeGreaterThan(8);
        expect(measured.run.layerTicks.get(l.index), l.node).toBeGreaterThan(0);
      });

      // The conv with its first channel's shift one less must not match: the check sees a wrong mapping.
      const wrong = measured.plan.mapped.map((l) => {
        if (l.call.kernel !== 'arm_convolve_wrapper_s16') return l;
        const call = l.call as Conv16Call;
        return { ...l, call: { ...call, shifts: call.shifts.map((s, c) => (c === 0 ? s - 1 : s)) } };
      });
      const input = new Uint8Array(readFileSync(join(workDir, 'right', 'inputs.bin')));
      const run = await runYardstick({ board, cmsisRoot, model: NETWORK, layers: wrong, layout: measured.layout, inputRecord: input, workDir: join(workDir, 'wrong'), timeoutMs: 120_000 });
      expect(run.failure).toBeUndefined();
      expect([...slice(run.outputs, 0)]).not.toEqual([...measured.expected[0]!]);
      expect([...slice(run.outputs, 1)]).toEqual([...measured.expected[1]!]);
    });
  }
});
