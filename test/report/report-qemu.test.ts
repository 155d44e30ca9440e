/**
 * tinygen report: the layer figures against hand derivations, and the flash/RAM figures against
 * the linker's own map of a real build.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../../src/version.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel, generate } from '../../src/pipeline.ts';
import { loadBoard } from '../../src/boards/board.ts';
import { measureFirmware } from '../../src/report/measure-firmware.ts';
import { buildReport } from '../../src/report/report.ts';
import { tinygen } from '../helpers/cli.ts';
import { MODELS } from '../helpers/paths.ts';

const TINY = join(MODELS, 'tiny_cnn_qop.onnx');

/** The size the linker map gives an output section: "<name>  0x<address>  0x<size>" (maybe over two lines). */
function mapSectionSize(map: string, section: string): number {
  const m = new RegExp(`^${section.replace(/\./g, '\\.')}\\s+0x[0-9a-f]+\\s+0x([0-9a-f]+)`, 'm').exec(map);
  if (!m) throw new Error(`section ${section} not in the map`);
  return parseInt(m[1]!, 16);
}

describe.concurrent('tinygen report', () => {
  it('counts MACs as a hand derivation of tiny_cnn does', () => {
    const compiled = compileModel({ modelPath: TINY });
    const report = buildReport(compiled, generate(compiled));
    const macs = Object.fromEntries(report.layers.filter((l) => l.macs > 0).map((l) => [l.op, l.macs]));
    // conv 1: 16x16 outputs x 4 channels, each a 3x3 window over 1 channel: 1024 * 9 = 9216.
    // conv 2: 8x8 x 8 channels, each 3x3 over 4 channels: 512 * 36 = 18432.
    // matmul: 6 outputs, each a dot product of 128: 768.
    expect(report.layers.filter((l) => l.op === 'QLinearConv').map((l) => l.macs)).toEqual([9216, 18432]);
    expect(macs.QLinearMatMul).toBe(768);
    expect(report.macs).toBe(9216 + 18432 + 768);
  });

  it('gives every layer its weights, and live bytes whose peak is the lower bound', () => {
    const compiled = compileModel({ modelPath: TINY });
    const generated = generate(compiled);
    const report = buildReport(compiled, generated);
    expect(report.layers.reduce((s, l) => s + l.weightBytes, 0)).toBe(generated.constantBytes);
    // conv 1: 4 filters of 3x3x1 int8 (36 B) + 4 int32 biases (16 B) = 52 B at least.
    expect(report.layers[1]!.weightBytes).toBeGreaterThanOrEqual(52);
    expect(Math.max(...report.layers.map((l) => l.liveBytes))).toBe(report.lowerBoundBytes);
    for (const l of report.layers.filter((x) => x.output.storage === 'arena')) {
      expect(l.output.offset! + l.output.bytes).toBeLessThanOrEqual(report.arenaBytes);
    }
    expect(report.flashBytes).toBeNull();
  });

  it('agrees with the linker map of the built firmware, to the byte, for weights and arena', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-report-'));
    const compiled = compileModel({ modelPath: TINY });
    const generated = generate(compiled);
    const measured = await measureFirmware(compiled.name, generated, loadBoard('mps2-an386'), dir);
    const map = readFileSync(join(dir, 'model', 'firmware.map'), 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(mapSectionSize(map, '.tinygen.weights')).toBe(generated.constantBytes);
    expect(mapSectionSize(map, '.tinygen.arena')).toBe(compiled.plan.arenaBytes);
    const report = buildReport(compiled, generated, measured);
    expect(report.flash.weightBytes).toBe(measured.weightsBytes);
    expect(report.ram.arenaBytes).toBe(measured.arenaBytes);
    // The code is real: at least the run function and the two kernels it calls, and far less than the image.
    expect(measured.codeBytes).toBeGreaterThan(500);
    expect(measured.codeBytes).toBeLessThan(measured.image.text);
    expect(report.flashBytes).toBe(generated.constantBytes + measured.codeBytes);
    // The caller keeps tiny_cnn's input (1x1x16x16 int8, 256 B) and output (1x6 int8, 6 B) during the run.
    expect(report.apiBufferBytes).toBe(256 + 6);
    expect(report.ramBytes).toBe(compiled.plan.arenaBytes + 256 + 6 + measured.stack.bytes + measured.staticDataBytes);
    expect(measured.stack.path[0]!.name).toBe(`${compiled.name}_run`);
    expect(measured.stack.unbounded).toEqual([]);
  });

  it('prints JSON with the documented fields, Markdown, and writes the SVG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-report-cli-'));
    const svg = join(dir, 'timeline.svg');
    const json = await tinygen(['report', TINY, '--board', 'mps2-an386', '--json', '--svg', svg]);
    expect(json.stderr).toBe('');
    expect(json.exitCode).toBe(0);
    const report = JSON.parse(json.stdout) as Record<string, unknown>;
    for (const field of ['arenaBytes', 'lowerBoundBytes', 'flashBytes', 'ramBytes']) expect(typeof report[field], field).toBe('number');
    expect(Array.isArray(report.layers)).toBe(true);
    expect(readFileSync(svg, 'utf8')).toContain('<svg');
    rmSync(dir, { recursive: true, force: true });

    const md = await tinygen(['report', TINY, '--markdown']);
    expect(md.exitCode).toBe(0);
    expect(md.stdout).toMatch(/^# Memory and compute report/);
    expect(md.stdout).toContain('| QLinearConv |');
  });

  it('answers bad input with one line and exit 2', async () => {
    const missing = await tinygen(['report', 'no-such-model.onnx']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const board = await tinygen(['report', TINY, '--board', 'no-such-board']);
    expect(board.exitCode).toBe(2);
    expect(board.stderr).toContain('no-such-board');
    const svg = await tinygen(['report', TINY, '--svg', join(tmpdir(), 'no-such-folder', 'x.svg')]);
    expect(svg.exitCode).toBe(2);
    expect(svg.stderr).toContain('no-such-folder');
  });

  it('answers a model that passes the fit check but does not link (code and C runtime data) with one line and exit 2', async () => {
    // The fit check counts weights, arena, stack and heap: 1280 + 32768 + 32768 = 66,816 B of RAM
    // for tiny_cnn on this board; with 66,900 B the C runtime's own data no longer fits.
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-small-board-'));
    try {
      const board = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'boards', 'mps2-an386.json'), 'utf8')) as { id: string; memory: { name: string; length: string }[] };
      board.id = 'small-ram';
      board.memory.find((m) => m.name === 'RAM')!.length = '66900';
      const file = join(dir, 'small-ram.json');
      writeFileSync(file, JSON.stringify(board));
      for (const command of ['report', 'bench']) {
        const result = await tinygen([command, TINY, '--board', file]);
        // The message carries stderr, so a failure on CI says what went wrong.
        expect(result.exitCode, `${command}: ${result.stderr}`).toBe(2);
        expect(result.stderr.trim().split('\n'), command).toHaveLength(1);
        expect(result.stderr, command).toMatch(/does not fit board small-ram.*RAM by \d+ bytes/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compile --board --no-measure checks the fit and writes the report without building', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-compile-report-'));
    try {
      const result = await tinygen(['compile', TINY, '-o', dir, '--board', 'mps2-an386', '--no-measure', '--json']);
      expect(result.exitCode).toBe(0);
      const summary = JSON.parse(result.stdout) as { flashBytes: number | null; regions: unknown[] };
      expect(summary.flashBytes).toBeNull();
      expect(summary.regions.length).toBeGreaterThan(0);
      const report = JSON.parse(readFileSync(join(dir, 'tiny_cnn_qop_report.json'), 'utf8')) as { board: string | null; arenaBytes: number };
      expect(report.board).toBeNull();
      expect(report.arenaBytes).toBe(1280);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
