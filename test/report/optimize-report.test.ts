/**
 * --optimize in the report: the goal taken, what each goal gives, the estimated cost of the
 * in-place copies, the bound with no layer in place, and the SVG's in-place marks, on a model
 * whose figures are derived by hand (test/planner/random-graphs.ts narrowingPointwise).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel, generate } from '../../src/pipeline.ts';
import { buildReport } from '../../src/report/report.ts';
import { memoryTimeline } from '../../src/report/report-files.ts';
import { narrowingPointwise } from '../planner/random-graphs.ts';
import { tinygen } from '../helpers/cli.ts';
import { buildNetwork } from '../helpers/networks.ts';

const model = narrowingPointwise();

describe('--optimize in the report', () => {
  // x [1, 1, 9, 9] -> 3x3 conv to 8 channels (81 x 8 = 648 B) -> 1x1 conv to 6 (486 B, 488
  // aligned) -> global average pool (6 B). The caller holds x (81 B) and y (6 B): 87 B.
  // MACs: 81 x 8 x 9 = 5,832 and 81 x 6 x 8 = 3,888, so 9,720 estimated instructions.
  // The 1x1 conv in place copies its 486 B output from pairs of pixels: 2 x ceil(486 / 4) = 244
  // for the words and 12 x 41 calls = 492, 736 estimated instructions: 7.6%, over balanced's 5%.
  // Apart, its step holds 648 + 488 B = 1,136 B; in place, 648 + its 16 B temp, and the peak
  // is the 3x3 conv's output and its 24 B patch: 672 B.
  it('names the goal, gives the arena of each and the copies estimated, by a hand derivation', () => {
    for (const [goal, arena] of [['ram', 672], ['balanced', 1136], ['time', 1136]] as const) {
      const compiled = compileModel({ modelPath: model, optimize: goal });
      const report = buildReport(compiled, generate(compiled));
      expect(report.arenaBytes, goal).toBe(arena);
      expect(report.noInPlaceBoundBytes, goal).toBe(1136);
      expect(report.optimize.goal).toBe(goal);
      expect(report.optimize.estimatedInstructions).toBe(5832 + 3888);
      expect(report.optimize.extraInstructions).toBe(goal === 'ram' ? 736 : 0);
      expect(report.optimize.goals).toEqual({
        ram: { arenaBytes: 672, modelRamBytes: 672 + 87, extraInstructions: 736 },
        balanced: { arenaBytes: 1136, modelRamBytes: 1136 + 87, extraInstructions: 0 },
        time: { arenaBytes: 1136, modelRamBytes: 1136 + 87, extraInstructions: 0 },
      });
      const marks = memoryTimeline(report).match(/class="in-place"/g) ?? [];
      expect(marks.length, goal).toBe(goal === 'ram' ? 1 : 0);
    }
  });

  it('tinygen report --optimize ram prints the goal and the others, and rejects an unknown goal with exit 2 and its help', async () => {
    const text = await tinygen(['report', model, '--optimize', 'ram']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('optimize ram: model RAM 759 B (balanced 1,223 B, time 1,223 B); its in-place copies add about 736 instructions (7.6% of about 9,720, one per MAC)');
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-optimize-'));
    try {
      const json = await tinygen(['report', model, '--optimize', 'time', '--json', '--svg', join(dir, 't.svg')]);
      expect(json.exitCode).toBe(0);
      expect((JSON.parse(json.stdout) as { optimize: { goal: string } }).optimize.goal).toBe('time');
      expect(readFileSync(join(dir, 't.svg'), 'utf8')).not.toContain('class="in-place"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const bad = await tinygen(['report', model, '--optimize', 'speed']);
    // A usage mistake: the command's help, then the error on one line.
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim().split('\n').at(-1)).toMatch(/optimize.*speed/);
  });

  it('the SVG marks a residual block run row by row, and in place (resnet_block)', () => {
    const compiled = compileModel({ modelPath: buildNetwork('resnet_block', 'qop', 'int8') });
    const svg = memoryTimeline(buildReport(compiled, generate(compiled)));
    expect(svg.match(/class="line-buffered"/g)).toHaveLength(1);
    expect(svg).toMatch(/<rect class="line-buffered"[^>]*><title>[^<]*ResidualRows[^<]*row by row/);
    const apart = compileModel({ modelPath: buildNetwork('resnet_block', 'qop', 'int8'), optimize: 'time' });
    expect(memoryTimeline(buildReport(apart, generate(apart)))).not.toContain('line-buffered');
  });
});
