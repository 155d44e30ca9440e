/**
 * The first diverging layer, under QEMU: a bug planted in one layer of tiny_cnn_qop fails
 * validate, and the layer trace (host C and mps2-an386) names exactly that layer; a bug planted
 * for Arm only is named on the board while the host C is clean; a passing validate traces nothing.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '../../src/validate/validate.ts';
import { runMatrix } from '../../src/validate/matrix.ts';
import { matrixJunit } from '../../src/validate/junit.ts';
import type { LayerDivergence } from '../../src/validate/trace.ts';
import { MODELS } from '../helpers/paths.ts';
import { modelSourceEntry, plantBiasBug } from '../helpers/plant.ts';
import { tinygen } from '../helpers/cli.ts';

const TINY = join(MODELS, 'tiny_cnn_qop.onnx');

function expectPlantedLayer(d: LayerDivergence | undefined): void {
  expect(d).toBeDefined();
  expect(d!.step).toBe(3);
  expect(d!.node).toBe('QLinearConv_2');
  expect(d!.shape).toEqual([1, 8, 8, 8]);
  expect(d!.differingBytes).toBeGreaterThan(0);
  expect(d!.differingBytes).toBeLessThanOrEqual(64); // output channel 0 only
  expect(d!.maxLsb).toBeGreaterThan(0);
}

describe.concurrent('first diverging layer under QEMU (mps2-an386)', () => {
  it('names the planted layer on the host and on the board', async () => {
    const report = await validate({ modelPath: TINY, board: 'mps2-an386', inputs: 5, mutateSources: (files) => plantBiasBug(files) });
    expect(report.passed).toBe(false);
    expect(report.failure).toBeUndefined();
    expect(report.mismatchCount).toBeGreaterThan(0);
    const f = report.firstDivergence!;
    expect(f.input).toBe(report.mismatches[0]!.input);
    expect(f.host.error).toBeUndefined();
    expect(f.board.error).toBeUndefined();
    expectPlantedLayer(f.host.divergence);
    expectPlantedLayer(f.board.divergence);
    expect(f.board.divergence).toEqual(f.host.divergence);
  });

  it('a bug planted for Arm only diverges on the board, and the host C is clean', async () => {
    const report = await validate({ modelPath: TINY, board: 'mps2-an386', inputs: 3, mutateSources: (files) => plantBiasBug(files, true) });
    expect(report.passed).toBe(false);
    const f = report.firstDivergence!;
    expect(f.host.error).toBeUndefined();
    expect(f.host.divergence).toBeUndefined();
    expect(f.host.layersCompared).toBeGreaterThan(0);
    expectPlantedLayer(f.board.divergence);
  });

  it('a passing validate traces nothing and reports no divergence', async () => {
    const keep = mkdtempSync(join(tmpdir(), 'tinygen-trace-pass-'));
    try {
      const report = await validate({ modelPath: TINY, board: 'mps2-an386', inputs: 3, keepDir: keep });
      expect(report.passed).toBe(true);
      expect(report.firstDivergence).toBeUndefined();
      expect(readdirSync(keep).filter((f) => f.startsWith('trace'))).toEqual([]);
    } finally {
      rmSync(keep, { recursive: true, force: true });
    }
  });

  it('trace: false skips the diagnosis and keeps the verdict', async () => {
    const keep = mkdtempSync(join(tmpdir(), 'tinygen-trace-off-'));
    try {
      const report = await validate({ modelPath: TINY, board: 'mps2-an386', inputs: 2, keepDir: keep, trace: false, mutateSources: (files) => plantBiasBug(files) });
      expect(report.passed).toBe(false);
      expect(report.firstDivergence).toBeUndefined();
      expect(existsSync(join(keep, 'trace-board'))).toBe(false);
    } finally {
      rmSync(keep, { recursive: true, force: true });
    }
  });

  it('a trace that fails to build says so, and the mismatch verdict stands', async () => {
    // The planted bug, plus a line that compiles only without TINYGEN_TRACE.
    const report = await validate({
      modelPath: TINY,
      board: 'mps2-an386',
      inputs: 2,
      mutateSources(files) {
        plantBiasBug(files);
        const [name, source] = modelSourceEntry(files);
        files.set(name, `${source}\n#ifdef TINYGEN_TRACE\n#error planted: no trace build\n#endif\n`);
      },
    });
    expect(report.passed).toBe(false);
    expect(report.mismatchCount).toBeGreaterThan(0);
    expect(report.firstDivergence!.host.error).toMatch(/planted: no trace build/);
    expect(report.firstDivergence!.board.error).toMatch(/planted: no trace build/);
  });

  it('the matrix report (JSON) and JUnit failure message carry the first diverging layer', async () => {
    const report = await runMatrix({ models: [TINY], boards: ['mps2-an386'], inputs: 2, mutateSources: (_cell, files) => plantBiasBug(files) });
    expect(report.passed).toBe(false);
    const cell = JSON.parse(JSON.stringify(report)).cells[0];
    expect(cell.failureKind).toBe('mismatch');
    expect(cell.firstDivergence.host.divergence.node).toBe('QLinearConv_2');
    expect(cell.firstDivergence.board.divergence.step).toBe(3);
    const xml = matrixJunit(report);
    expect(xml).toMatch(/<failure message="[^"]*first diverging layer \(host C and board\): step 3, \S+ 'QLinearConv_2' \[1x8x8x8\]/);
    expect(xml).toMatch(/board mps2-an386: first diverging layer: step 3/);
  });

  it('tinygen validate --json of a passing model has no firstDivergence', async () => {
    const result = await tinygen(['validate', TINY, '--board', 'mps2-an386', '--inputs', '2', '--json']);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.cells[0].firstDivergence).toBeUndefined();
  });
});
